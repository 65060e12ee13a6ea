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

// hookScript runs in every frame before the page's own scripts. It reports
// every document.cookie write with the stack that made it (to name the
// script), and counts pending short timers so that the crawler waits for
// trackers that fire shortly after load. It changes nothing the page sees
// except the getter and setter identity of document.cookie.
func hookScript(n hookNames) string {
	return `(() => {
  const send = window[` + strconv.Quote(n.binding) + `];
  try { delete window[` + strconv.Quote(n.binding) + `]; } catch (e) {}
  const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (send && desc && desc.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: desc.enumerable,
      get: function () { return desc.get.call(this); },
      set: function (v) {
        try {
          send(JSON.stringify({c: String(v).slice(0, 4096), s: String(new Error().stack || '').slice(0, 4096), f: String(location.href).slice(0, 1024)}));
        } catch (e) {}
        return desc.set.call(this, v);
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
