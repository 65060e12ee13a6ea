package consent

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

//go:embed helper.js
var helperJS string

// worldName names the isolated world the helper lives in.
const worldName = "cookiescan-consent"

// frame is one frame of the tab (or of an out-of-process iframe target) with
// the isolated world that holds the helper.
type frame struct {
	tab    context.Context // the chromedp context whose target holds the frame
	id     cdp.FrameID
	loader cdp.LoaderID
	url    string
	top    bool // the page's main frame
	world  runtime.ExecutionContextID
}

// tab drives one page: its frames, their helper worlds, and clicks.
type tab struct {
	ctx    context.Context
	frames map[cdp.FrameID]*frame
	// oopif holds contexts attached to cross-origin iframe targets, used when
	// site isolation is on and such frames are not in the page's process.
	oopif map[string]context.Context
	// cancels releases the attached iframe contexts.
	cancels []context.CancelFunc
}

func newTab(ctx context.Context) *tab {
	return &tab{ctx: ctx, frames: map[cdp.FrameID]*frame{}, oopif: map[string]context.Context{}}
}

func (t *tab) close() {
	for _, c := range t.cancels {
		c()
	}
}

// refresh lists the frames of the page and makes sure each has a live world
// with the helper. Frames that cannot be reached are skipped, not fatal: a
// frame may be navigating.
func (t *tab) refresh(ctx context.Context) ([]*frame, error) {
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return nil, fmt.Errorf("frame tree: %w", err)
	}
	var out []*frame
	seen := map[cdp.FrameID]bool{}
	var walk func(tc context.Context, ft *page.FrameTree, top bool)
	walk = func(tc context.Context, ft *page.FrameTree, top bool) {
		if ft == nil || ft.Frame == nil {
			return
		}
		f := t.frames[ft.Frame.ID]
		if f == nil || f.loader != ft.Frame.LoaderID || f.tab != tc {
			f = &frame{tab: tc, id: ft.Frame.ID, loader: ft.Frame.LoaderID, top: top}
			t.frames[ft.Frame.ID] = f
		}
		f.url = ft.Frame.URL
		seen[f.id] = true
		if err := t.ensureWorld(ctx, f); err == nil {
			out = append(out, f)
		}
		for _, c := range ft.ChildFrames {
			walk(tc, c, false)
		}
	}
	walk(t.ctx, tree.FrameTree, true)
	// With site isolation on, cross-origin iframes are separate targets: the
	// page's tree lists them but their documents live elsewhere. Attach.
	out = append(out, t.refreshOOPIF(ctx, seen)...)
	for id := range t.frames {
		if !seen[id] {
			delete(t.frames, id)
		}
	}
	return out, nil
}

func (t *tab) refreshOOPIF(ctx context.Context, seen map[cdp.FrameID]bool) []*frame {
	c := chromedp.FromContext(t.ctx)
	if c == nil || c.Target == nil {
		return nil
	}
	infos, err := chromedp.Targets(t.ctx)
	if err != nil {
		return nil
	}
	var out []*frame
	for _, info := range infos {
		if info.Type != "iframe" {
			continue
		}
		if info.ParentID != c.Target.TargetID && (info.ParentID != "" || info.BrowserContextID != c.BrowserContextID) {
			continue
		}
		tc, ok := t.oopif[string(info.TargetID)]
		if !ok {
			nc, cancel := chromedp.NewContext(t.ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
			if err := chromedp.Do(nc); err != nil {
				cancel()
				continue
			}
			t.cancels = append(t.cancels, cancel)
			t.oopif[string(info.TargetID)] = nc
			tc = nc
		}
		tree, err := chromedp.Call(tc, page.GetFrameTree, cdp.Empty{})
		if err != nil || tree.FrameTree == nil || tree.FrameTree.Frame == nil {
			continue
		}
		ft := tree.FrameTree
		f := t.frames[ft.Frame.ID]
		if f == nil || f.loader != ft.Frame.LoaderID || f.tab != tc {
			f = &frame{tab: tc, id: ft.Frame.ID, loader: ft.Frame.LoaderID}
			t.frames[ft.Frame.ID] = f
		}
		f.url = ft.Frame.URL
		seen[f.id] = true
		if err := t.ensureWorld(ctx, f); err == nil {
			out = append(out, f)
		}
	}
	return out
}

// ensureWorld creates the frame's isolated world and installs the helper,
// once per document.
func (t *tab) ensureWorld(ctx context.Context, f *frame) error {
	if f.world != 0 {
		var ok bool
		if err := t.evalIn(ctx, f, "!!window.__cookiescan", &ok); err == nil && ok {
			return nil
		}
		f.world = 0
	}
	cctx := t.on(ctx, f)
	res, err := chromedp.Call(cctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{
		FrameID: f.id, WorldName: worldName,
	})
	if err != nil {
		return fmt.Errorf("isolated world for %s: %w", f.url, err)
	}
	f.world = res.ExecutionContextID
	var ok bool
	if err := t.evalIn(ctx, f, helperJS, &ok); err != nil {
		f.world = 0
		return fmt.Errorf("install helper in %s: %w", f.url, err)
	}
	return nil
}

// on returns the context for calls to the frame's target: the caller's ctx
// (with its deadline) for the page's own frames, the attached iframe context
// for out-of-process frames.
func (t *tab) on(ctx context.Context, f *frame) context.Context {
	if f.tab == t.ctx {
		return ctx
	}
	return f.tab
}

// jsError turns an exception into an error.
func jsError(ex *runtime.ExceptionDetails) error {
	msg := ex.Text
	if ex.Exception != nil && ex.Exception.Description != "" {
		msg = ex.Exception.Description
	}
	return fmt.Errorf("javascript: %s", strings.SplitN(msg, "\n", 2)[0])
}

// evalIn evaluates an expression in the frame's helper world and decodes
// its JSON value into out (nil to discard).
func (t *tab) evalIn(ctx context.Context, f *frame, expr string, out any) error {
	res, err := chromedp.Call(t.on(ctx, f), runtime.Evaluate, runtime.EvaluateParams{
		Expression: expr, ContextID: f.world, ReturnByValue: new(true), AwaitPromise: new(true),
	})
	if err != nil {
		return err
	}
	return decodeResult(res.Result, res.ExceptionDetails, out)
}

// call runs a helper method with JSON arguments in the frame's world.
func (t *tab) call(ctx context.Context, f *frame, method string, out any, args ...any) error {
	expr, err := helperCall(method, args...)
	if err != nil {
		return err
	}
	return t.evalIn(ctx, f, expr, out)
}

func helperCall(method string, args ...any) (string, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			return "", fmt.Errorf("helper %s: %w", method, err)
		}
		parts[i] = string(b)
	}
	return "window.__cookiescan." + method + "(" + strings.Join(parts, ",") + ")", nil
}

// object evaluates a helper call that returns an element and keeps a
// handle to it. It returns "" when the call gave null.
func (t *tab) object(ctx context.Context, f *frame, method string, args ...any) (runtime.RemoteObjectID, error) {
	expr, err := helperCall(method, args...)
	if err != nil {
		return "", err
	}
	res, err := chromedp.Call(t.on(ctx, f), runtime.Evaluate, runtime.EvaluateParams{
		Expression: expr, ContextID: f.world, ObjectGroup: worldName,
	})
	if err != nil {
		return "", err
	}
	if res.ExceptionDetails != nil {
		return "", jsError(res.ExceptionDetails)
	}
	if res.Result == nil || res.Result.ObjectID == "" {
		return "", nil
	}
	return res.Result.ObjectID, nil
}

// callOn calls a function with the element as this and decodes its result.
func (t *tab) callOn(ctx context.Context, f *frame, obj runtime.RemoteObjectID, fn string, out any) error {
	res, err := chromedp.Call(t.on(ctx, f), runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: fn, ObjectID: obj, ReturnByValue: new(true),
	})
	if err != nil {
		return err
	}
	return decodeResult(res.Result, res.ExceptionDetails, out)
}

// mainEval evaluates in the page's own main world (where the platform's
// globals live), awaiting promises, and decodes the JSON result into out.
func (t *tab) mainEval(ctx context.Context, expr string, out any) error {
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{
		Expression: expr, ReturnByValue: new(true), AwaitPromise: new(true), UserGesture: new(true),
	})
	if err != nil {
		return err
	}
	return decodeResult(res.Result, res.ExceptionDetails, out)
}

// registerClosedRoots finds closed shadow roots, which page JavaScript cannot
// see, and hands each to the helper of its frame. It uses DOM.describeNode
// with pierce on each document: unlike DOM.getDocument it assigns no node
// ids, so it does not invalidate the nodes chromedp (or the crawler) holds.
func (t *tab) registerClosedRoots(ctx context.Context, frames []*frame) error {
	byID := map[cdp.FrameID]*frame{}
	for _, f := range frames {
		byID[f.id] = f
	}
	for _, root := range frames {
		// One walk per process: the top document reaches its in-process
		// iframes; each out-of-process iframe is walked on its own target.
		if !root.top && root.tab == t.ctx {
			continue
		}
		if err := t.registerClosedRootsIn(ctx, root, byID); err != nil {
			return err
		}
	}
	return nil
}

func (t *tab) registerClosedRootsIn(ctx context.Context, root *frame, byID map[cdp.FrameID]*frame) error {
	cctx := t.on(ctx, root)
	doc, err := t.object(ctx, root, "doc")
	if err != nil || doc == "" {
		return err
	}
	desc, err := chromedp.Call(cctx, dom.DescribeNode, dom.DescribeNodeParams{ObjectID: doc, Depth: new(int64(-1)), Pierce: new(true)})
	if err != nil {
		return fmt.Errorf("describe document: %w", err)
	}
	type closedRoot struct {
		node cdp.BackendNodeID
		f    *frame
	}
	var roots []closedRoot
	var walk func(n *cdp.Node, f *frame)
	walk = func(n *cdp.Node, f *frame) {
		if n == nil {
			return
		}
		for _, sr := range n.ShadowRoots {
			if sr.ShadowRootType == cdp.ShadowRootTypeClosed && f != nil {
				roots = append(roots, closedRoot{sr.BackendNodeID, f})
			}
			walk(sr, f)
		}
		for _, c := range n.Children {
			walk(c, f)
		}
		if n.ContentDocument != nil {
			walk(n.ContentDocument, byID[n.FrameID])
		}
	}
	walk(desc.Node, root)
	for _, r := range roots {
		res, err := chromedp.Call(cctx, dom.ResolveNode, dom.ResolveNodeParams{
			BackendNodeID: r.node, ExecutionContextID: r.f.world, ObjectGroup: worldName,
		})
		if err != nil || res.Object == nil {
			continue
		}
		_ = t.callOn(ctx, r.f, res.Object.ObjectID, "function(){return window.__cookiescan.addRoot(this)}", nil)
	}
	return nil
}

// clickPath is how a click reached an element.
const (
	MethodMouse    = "mouse"
	MethodDOM      = "dom"
	MethodAPI      = "api"
	MethodSelector = "selector"
)

// click clicks the element as a user does: a real mouse press and release
// at the centre of its visible box. When that does not reach the element
// (an overlay, an out-of-process frame), it falls back to a DOM click. It
// returns the method that worked.
func (t *tab) click(ctx context.Context, f *frame, obj runtime.RemoteObjectID) (string, error) {
	if err := t.callOn(ctx, f, obj, "function(){window.__cookiescan.arm(this);return true}", nil); err != nil {
		return "", fmt.Errorf("prepare click: %w", err)
	}
	if f.tab == t.ctx { // mouse coordinates are only meaningful in the page's own viewport
		if ok := t.mouseClick(ctx, f, obj); ok {
			return MethodMouse, nil
		}
	}
	if err := t.callOn(ctx, f, obj, "function(){return window.__cookiescan.domClick(this)}", nil); err != nil {
		if navigated(err) {
			return MethodDOM, nil
		}
		return "", fmt.Errorf("dom click: %w", err)
	}
	return MethodDOM, nil
}

func (t *tab) mouseClick(ctx context.Context, f *frame, obj runtime.RemoteObjectID) bool {
	quads, err := chromedp.Call(ctx, dom.GetContentQuads, dom.GetContentQuadsParams{ObjectID: obj})
	if err != nil || len(quads.Quads) == 0 || len(quads.Quads[0]) < 8 {
		return false
	}
	q := quads.Quads[0]
	x := (q[0] + q[2] + q[4] + q[6]) / 4
	y := (q[1] + q[3] + q[5] + q[7]) / 4
	for _, typ := range []input.DispatchMouseEventType{input.DispatchMouseEventTypeMouseMoved, input.DispatchMouseEventTypeMousePressed, input.DispatchMouseEventTypeMouseReleased} {
		p := input.DispatchMouseEventParams{Type: typ, X: x, Y: y}
		if typ != input.DispatchMouseEventTypeMouseMoved {
			p.Button = input.MouseButtonLeft
			p.Buttons = 1
			p.ClickCount = 1
		}
		if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, p); err != nil {
			return false
		}
	}
	var hit bool
	if err := t.callOn(ctx, f, obj, "function(){return window.__cookiescan.wasClicked(this)}", &hit); err != nil {
		// The click navigated or reloaded the page: it reached something
		// that acted on it.
		return navigated(err)
	}
	return hit
}

// navigated reports whether an error means the document went away (the
// page reloaded or navigated after a click).
func navigated(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "Cannot find context") || strings.Contains(s, "Execution context was destroyed") ||
		strings.Contains(s, "Could not find object") || strings.Contains(s, "Inspected target navigated") ||
		errors.Is(err, chromedp.ErrTargetDetached)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// decodeResult turns an evaluation's value or exception into out (nil to
// discard) or an error.
func decodeResult(v *runtime.RemoteObject, exc *runtime.ExceptionDetails, out any) error {
	if exc != nil {
		return jsError(exc)
	}
	if out == nil || v == nil || len(v.Value) == 0 {
		return nil
	}
	return json.Unmarshal(v.Value, out)
}
