package crawler

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
)

// hookNames are the random names under which the page hook reaches us, so a
// page cannot guess them in advance.
type hookNames struct {
	binding string // the CDP binding document.cookie writes are sent to
	pending string // a function returning the number of short timers pending
}

func newHookNames() hookNames {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	return hookNames{binding: "__cs_b_" + id, pending: "__cs_p_" + id}
}

// Bounds of the hook's traffic, per document: writes reported one by one
// (identical writes are counted once), writes per binding call, and the
// least time between calls once the budget is spent. A page writing
// document.cookie in a loop costs one binding call per task, not per write.
const (
	hookBudget      = 2000
	hookBatch       = 200
	hookSlowFlushMS = 1000
	// hookRepeatRun is how many identical back-to-back writes are passed on
	// one by one before further repeats are coalesced; ordinary pages never
	// reach it.
	hookRepeatRun = 20
)

// hookScript runs in every frame before the page's own scripts. It reports
// document.cookie writes in batches, each with the stack that made it (to
// name the script), and counts pending short timers so that the crawler
// waits for trackers that fire shortly after load. It changes nothing the
// page sees except the getter and setter identity of document.cookie.
//
// A long run of identical back-to-back writes is passed on once, not once
// per write: the last of the run reaches the browser before the document's
// next cookie read or different write and right after the task, so the
// page and the server see what they would have (at most a Max-Age ends a
// few milliseconds sooner). Chrome queues every write to its cookie store,
// and a loop of thousands of them held up the loading of every later page
// of the site past --timeout.
//
// Everything it relies on is taken before any page script runs, so a page
// cannot forge the evidence by replacing Error, JSON or String; a page that
// installs Error.prepareStackTrace (which formats every stack) has it set
// aside while the hook reads one, and a stack it cannot set aside is
// reported as untrusted.
func hookScript(n hookNames) string {
	return `(() => {
  const send = window[` + strconv.Quote(n.binding) + `];
  try { delete window[` + strconv.Quote(n.binding) + `]; } catch (e) {}
  const E = Error, Str = String, stringify = JSON.stringify, apply = Reflect.apply;
  const gopd = Object.getOwnPropertyDescriptor, create = Object.create;
  const slice = String.prototype.slice, setT = window.setTimeout, micro = window.queueMicrotask;
  const hrefGet = gopd(Location.prototype, 'href') ? gopd(Location.prototype, 'href').get : null;
  const cut = (s, n) => apply(slice, Str(s), [0, n]);
  const href = () => { try { return cut(hrefGet ? apply(hrefGet, location, []) : location.href, 512); } catch (e) { return ''; } };
  const stack = () => {
    const p = gopd(E, 'prepareStackTrace'), l = gopd(E, 'stackTraceLimit');
    if ((p && !(p.writable && p.configurable && !p.get)) || (l && !(l.writable && l.configurable && !l.get))) return null;
    try {
      E.prepareStackTrace = undefined;
      E.stackTraceLimit = 16;
      // An inherited, read-only formatter cannot be shadowed: untrusted.
      if (E.prepareStackTrace !== undefined) return null;
      return cut(new E().stack || '', 2048);
    } finally {
      if (p) E.prepareStackTrace = p.value; else delete E.prepareStackTrace;
      if (l) E.stackTraceLimit = l.value;
    }
  };
  const BUDGET = ` + strconv.Itoa(hookBudget) + `, BATCH = ` + strconv.Itoa(hookBatch) + `, SLOW = ` + strconv.Itoa(hookSlowFlushMS) + `, RUN = ` + strconv.Itoa(hookRepeatRun) + `;
  let queue = [], queued = 0, reported = 0, dropped = 0, repeats = 0, skipped = 0, scheduled = false;
  const run = {write: null, doc: null, n: 0};
  // held is the last write of a long run of identical ones, not passed on
  // yet: it is, once, before this document's next cookie read or different
  // write, and in a task of its own right after (a timer, not a microtask,
  // so that a flood of writes from microtasks is coalesced too).
  let held = null, heldScheduled = false;
  const flushHeld = () => {
    heldScheduled = false;
    if (held === null) return;
    const h = held;
    held = null;
    skipped--;
    try { apply(desc.set, h.doc, [h.v]); } catch (e) {}
  };
  const seen = create(null);
  let seenKeys = 0;
  const flush = () => {
    scheduled = false;
    if (!queued && !dropped && !repeats && !skipped) return;
    try { send(stringify({w: queue, d: dropped, r: repeats, k: skipped})); } catch (e) {}
    queue = []; queued = 0; dropped = 0; repeats = 0; skipped = 0;
  };
  const schedule = (slow) => {
    if (scheduled) return;
    scheduled = true;
    if (slow || !micro) apply(setT, window, [flush, slow ? SLOW : 0]); else apply(micro, window, [flush]);
  };
  const note = (v) => {
    const c = cut(v, 1024);
    if (seen[c] === true) { repeats++; schedule(reported >= BUDGET); return; }
    if (reported >= BUDGET) { dropped++; schedule(true); return; }
    if (seenKeys < BUDGET) { seen[c] = true; seenKeys++; }
    const s = stack();
    queue[queued++] = {c: c, s: s === null ? '' : s, u: s === null, f: href()};
    reported++;
    if (queued >= BATCH) flush(); else schedule(false);
  };
  const desc = gopd(Document.prototype, 'cookie');
  if (send && desc && desc.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: desc.enumerable,
      get: function () { flushHeld(); return apply(desc.get, this, []); },
      set: function (v) {
        let arg = v;
        try {
          const c = Str(v);
          arg = c; // converted once, as the browser's own setter does
          if (held !== null && (c !== held.v || this !== held.doc)) flushHeld();
          if (c === run.write && this === run.doc) run.n++; else { run.write = c; run.doc = this; run.n = 1; }
          note(c);
          if (run.n > RUN) {
            held = {doc: this, v: c};
            skipped++;
            if (!heldScheduled) { heldScheduled = true; apply(setT, window, [flushHeld, 0]); }
            return;
          }
        } catch (e) {}
        return apply(desc.set, this, [arg]);
      }
    });
  }
  if (window.top !== window) return;
  // Timers set within the first seconds of a page, with delays a tracker
  // uses to fire "a little later", hold the page open until they ran.
  const start = Date.now();
  const pending = new Set();
  const origSet = window.setTimeout, origClear = window.clearTimeout;
  window.setTimeout = function (fn, delay, ...rest) {
    const d = Number(delay) || 0;
    let id;
    const counted = d >= 50 && d <= 5000 && Date.now() - start < 5000;
    const wrapped = typeof fn === 'function' ? function (...a) { pending.delete(id); return fn.apply(this, a); } : fn;
    id = origSet.call(window, wrapped, delay, ...rest);
    if (counted && typeof fn === 'function') pending.add(id);
    return id;
  };
  window.clearTimeout = function (id) { pending.delete(id); return origClear.call(window, id); };
  Object.defineProperty(window, ` + strconv.Quote(n.pending) + `, {value: () => pending.size, enumerable: false});
})();`
}
