package consent

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The evidence screenshots are the whole viewport, as a visitor saw it,
// scaled down to at most shotWidth pixels wide. A crop of the banner alone
// missed banners fixed to the viewport and hid what the page showed.
const shotWidth = 1024.0

// shotAttempts bound each try of a screenshot. A page that navigates while
// it is taken (a platform that reloads the page after the choice, as
// Complianz does after a deny) can leave the capture waiting for a frame
// that never comes, while a second try a moment later gets the new page at
// once. The evidence is worth a few seconds, not the state.
var shotAttempts = [...]time.Duration{3 * time.Second, 5 * time.Second}

// OutlineColor marks the element the choice was made on. It is drawn on the
// image in Go, never into the page, so page script can neither see nor
// move it.
var OutlineColor = color.NRGBA{R: 0xE0, G: 0x10, B: 0x60, A: 0xFF}

// shotOf takes the viewport with obj (in f) outlined; obj may be empty.
// An element whose box is not in the page's own coordinates (an
// out-of-process frame) or lies outside the viewport is not outlined.
func (t *tab) shotOf(ctx context.Context, f *frame, obj runtime.RemoteObjectID) ([]byte, error) {
	var err error
	for _, limit := range shotAttempts {
		actx, cancel := context.WithTimeout(ctx, limit)
		var png []byte
		png, err = t.shotOnce(actx, f, obj)
		cancel()
		if err == nil || ctx.Err() != nil {
			return png, err
		}
	}
	return nil, err
}

func (t *tab) shotOnce(ctx context.Context, f *frame, obj runtime.RemoteObjectID) ([]byte, error) {
	// Show the page from its top, as a visitor arriving saw it (settling
	// scrolled it to the bottom), then bring the element into view.
	_ = t.mainEval(ctx, `(() => { window.scrollTo(0, 0); return true })()`, nil)
	if obj != "" && f != nil && f.tab == t.ctx {
		_, _ = chromedp.Call(ctx, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{ObjectID: obj})
	}
	m, err := chromedp.Call(ctx, page.GetLayoutMetrics, cdp.Empty{})
	if err != nil {
		return nil, fmt.Errorf("layout: %w", err)
	}
	vp := m.CSSVisualViewport
	if vp == nil || vp.ClientWidth < 1 || vp.ClientHeight < 1 {
		return nil, fmt.Errorf("screenshot: no viewport")
	}
	// Encoded for speed: the shot is on the consent step's critical path,
	// and a somewhat larger PNG costs nothing there. The clip is in
	// document coordinates: the viewport is where the page is scrolled to.
	fast := true
	res, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:           page.CaptureScreenshotFormatPng,
		OptimizeForSpeed: &fast,
		Clip: &page.Viewport{X: vp.PageX, Y: vp.PageY, Width: vp.ClientWidth, Height: vp.ClientHeight,
			Scale: min(1, shotWidth/vp.ClientWidth)},
	})
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	if obj == "" || f == nil || f.tab != t.ctx {
		return res.Data, nil
	}
	quads, err := chromedp.Call(ctx, dom.GetContentQuads, dom.GetContentQuadsParams{ObjectID: obj})
	if err != nil || len(quads.Quads) == 0 {
		return res.Data, nil
	}
	box := [4]float64{1e9, 1e9, -1e9, -1e9} // in viewport CSS pixels
	for _, q := range quads.Quads {
		for i := 0; i+1 < len(q); i += 2 {
			box[0], box[2] = min(box[0], q[i]), max(box[2], q[i])
			box[1], box[3] = min(box[1], q[i+1]), max(box[3], q[i+1])
		}
	}
	out, err := outline(res.Data, box, vp.ClientWidth)
	if err != nil {
		return res.Data, nil
	}
	return out, nil
}

// outline draws a frame around box (viewport CSS pixels, viewport cssWidth
// wide) on a PNG.
func outline(pngData []byte, box [4]float64, cssWidth float64) ([]byte, error) {
	src, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	k := float64(b.Dx()) / cssWidth
	const pad, thick = 4, 4
	r := image.Rect(int(box[0]*k)-pad, int(box[1]*k)-pad, int(box[2]*k)+pad, int(box[3]*k)+pad).Intersect(b)
	if r.Empty() {
		return nil, fmt.Errorf("outline: element outside the viewport")
	}
	img := image.NewNRGBA(b)
	draw.Draw(img, b, src, b.Min, draw.Src)
	c := image.NewUniform(OutlineColor)
	for _, edge := range []image.Rectangle{
		{r.Min, image.Pt(r.Max.X, r.Min.Y+thick)}, {image.Pt(r.Min.X, r.Max.Y-thick), r.Max},
		{r.Min, image.Pt(r.Min.X+thick, r.Max.Y)}, {image.Pt(r.Max.X-thick, r.Min.Y), r.Max},
	} {
		draw.Draw(img, edge.Intersect(b), c, image.Point{}, draw.Src)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// clickKind says whether a click's screenshot is evidence. The click that
// makes the choice is; one that only opens a settings layer would be
// overwritten by it, and each shot costs a frame on the consent step's
// critical path.
type clickKind bool

const (
	makesChoice clickKind = true
	opensLayer  clickKind = false
)

// shootChoice records the viewport with the element about to be clicked
// outlined. Each click of a choice overwrites it, so the evidence shows the
// click that made the choice (reject on a settings layer, not the link
// that opened it).
func (r *run) shootChoice(ctx context.Context, f *frame, obj runtime.RemoteObjectID) {
	if !r.e.opts.Screenshot {
		return
	}
	if png, err := r.t.shotOf(ctx, f, obj); err == nil {
		r.out.ScreenshotPNG = png
	}
}

// shootAfter records the viewport once the choice is made and verified.
func (r *run) shootAfter(ctx context.Context) {
	if !r.e.opts.Screenshot || r.action == ActionNone || len(r.out.Clicked) == 0 {
		return
	}
	if png, err := r.t.shotOf(ctx, nil, ""); err == nil {
		r.out.AfterScreenshotPNG = png
	}
}
