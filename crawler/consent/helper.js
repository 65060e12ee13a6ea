// The cookiescan consent helper. It is installed in an isolated world of each
// frame (Page.createIsolatedWorld), so the page cannot see it and it cannot
// clash with the page's own globals. The DOM is shared with the page, so
// clicks and reads reach the real banner. Closed shadow roots are invisible to
// JavaScript; the Go side finds them with DOM.getDocument(pierce) and hands
// them in with addRoot.
(() => {
  if (window.__cookiescan) return true;
  const extraRoots = [];
  const clicked = new WeakSet();
  let lastButtons = [];
  let lastBanners = [];

  function roots() {
    const out = [document];
    const seen = new Set(out);
    for (const r of extraRoots) {
      if (r.isConnected && !seen.has(r)) { seen.add(r); out.push(r); }
    }
    for (let i = 0; i < out.length; i++) {
      for (const el of out[i].querySelectorAll('*')) {
        const sr = el.shadowRoot;
        if (sr && !seen.has(sr)) { seen.add(sr); out.push(sr); }
      }
    }
    return out;
  }

  function qsa(sel) {
    const out = [];
    for (const r of roots()) {
      let found;
      try { found = r.querySelectorAll(sel); } catch (e) { throw new Error('bad selector ' + sel + ': ' + e.message); }
      for (const el of found) out.push(el);
    }
    return out;
  }

  function visible(el) {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    // Off-screen tricks (left:-9999px) hide a banner as well as display:none.
    if (r.right <= 0 || r.bottom <= -window.scrollY) return false;
    if (el.checkVisibility && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    return true;
  }

  function label(el) {
    let t = '';
    if (el.tagName === 'INPUT') t = el.value || '';
    if (!t) t = el.innerText || el.textContent || '';
    if (!t.trim()) t = el.getAttribute('aria-label') || el.getAttribute('title') || '';
    return t.replace(/\s+/g, ' ').trim().slice(0, 120);
  }

  function matchText(el, text) {
    if (!text) return true;
    return new RegExp(text, 'i').test(label(el));
  }

  function firstVisible(sels, text) {
    for (const sel of sels) {
      for (const el of qsa(sel)) {
        if (visible(el) && matchText(el, text)) return el;
      }
    }
    return null;
  }

  function scripts() {
    const urls = [];
    for (const s of document.scripts) if (s.src) urls.push(s.src);
    for (const f of document.querySelectorAll('iframe[src]')) urls.push(f.src);
    try {
      for (const e of performance.getEntriesByType('resource')) urls.push(e.name);
    } catch (e) { /* old engines */ }
    return urls;
  }

  // probe reports, per rule, which detection signals this frame shows.
  function probe(rules) {
    const urls = scripts();
    const out = { url: location.href, top: window === window.top, rules: [] };
    for (const r of rules) {
      const hit = { script: false, element: false, banner: false, frame: false, paywall: false };
      hit.frame = !!r.frame && location.href.includes(r.frame);
      hit.script = (r.scripts || []).some((s) => urls.some((u) => u.includes(s)));
      hit.element = (r.elements || []).some((s) => qsa(s).length > 0);
      if (!r.frame || hit.frame) {
        hit.banner = !!firstVisible(r.banner || []);
        hit.paywall = hit.banner && !!firstVisible(r.paywall || []);
      }
      out.rules.push(hit);
    }
    return out;
  }

  function buttons(sels) {
    const out = [];
    for (const sel of sels) {
      const el = firstVisible([sel]);
      if (el) out.push({ selector: sel, label: label(el) });
    }
    return out;
  }

  // arm makes the element ready for a real mouse click and remembers whether a
  // trusted click reached it, so the Go side can tell a click that landed from
  // one that an overlay swallowed.
  function arm(el) {
    el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
    el.addEventListener('click', (e) => { if (e.isTrusted) clicked.add(el); }, { capture: true, once: true });
    return el;
  }

  function uncheck(sels) {
    let n = 0;
    for (const sel of sels) {
      for (const el of qsa(sel)) {
        if (el.disabled || el.getAttribute('aria-disabled') === 'true') continue;
        const isBox = el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio');
        const on = isBox ? el.checked : el.getAttribute('aria-checked') === 'true';
        if (!on) continue;
        el.click();
        if (isBox && el.checked) {
          el.checked = false;
          el.dispatchEvent(new Event('change', { bubbles: true }));
        }
        n++;
      }
    }
    return n;
  }

  const cookieWords = /cookie|consent|samtykke|samtycke|einwilligung|zustimm|datenschutz|privacy|privatliv|personvern|integritet|toestemming|consentement|consentimiento|consenso|tracking|gdpr|rgpd|dsgvo/i;
  const candidateSel = 'div,section,aside,form,dialog,footer,header,nav,[role=dialog],[role=alertdialog],[aria-modal=true]';
  const buttonSel = 'button,input[type=button],input[type=submit],a,[role=button],[class*=button],[class*=btn]';

  function isCandidate(el) {
    if (el.tagName === 'DIALOG' && el.open) return true;
    const role = el.getAttribute('role');
    if (role === 'dialog' || role === 'alertdialog' || el.getAttribute('aria-modal') === 'true') return true;
    const pos = getComputedStyle(el).position;
    return pos === 'fixed' || pos === 'sticky';
  }

  // heuristic finds hand-made banners: visible fixed or modal elements that
  // speak of cookies, innermost first, with their visible buttons.
  function heuristic() {
    let cands = [];
    for (const r of roots()) {
      for (const el of r.querySelectorAll(candidateSel)) {
        if (isCandidate(el) && visible(el)) cands.push(el);
      }
    }
    if (window !== window.top && document.body && visible(document.body)) cands.push(document.body);
    cands = cands.filter((el) => cookieWords.test(el.innerText || ''));
    // Keep the innermost: an overlay that wraps the dialog adds nothing.
    cands = cands.filter((el) => !cands.some((o) => o !== el && el.contains(o) && hasButtons(o)));
    lastBanners = cands;
    lastButtons = [];
    const out = [];
    cands.forEach((el, i) => {
      const bs = [];
      const seen = new Set();
      for (const b of el.querySelectorAll(buttonSel)) {
        if (!visible(b) || seen.has(b)) continue;
        // A [class*=btn] wrapper around a real button counts once.
        if ([...seen].some((s) => s.contains(b) || b.contains(s))) continue;
        seen.add(b);
        lastButtons.push(b);
        bs.push({ index: lastButtons.length - 1, label: label(b), href: b.getAttribute('href') || '' });
      }
      out.push({ index: i, text: (el.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 400), buttons: bs });
    });
    return out;
  }

  function hasButtons(el) {
    for (const b of el.querySelectorAll(buttonSel)) if (visible(b)) return true;
    return false;
  }

  function rect(el) {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }

  window.__cookiescan = {
    doc() { return document; },
    addRoot(r) { if (!extraRoots.includes(r)) extraRoots.push(r); return extraRoots.length; },
    probe,
    buttons,
    find(sels, text) { return firstVisible(sels, text); },
    exists(sels) { return sels.some((s) => qsa(s).length > 0); },
    anyVisible(sels) { return !!firstVisible(sels); },
    label,
    arm,
    wasClicked(el) { return clicked.has(el); },
    domClick(el) { el.click(); return true; },
    uncheck,
    heuristic,
    banner(i) { return lastBanners[i] || null; },
    button(i) { return lastButtons[i] || null; },
    bannerVisible(i) { return visible(lastBanners[i]); },
    rect,
  };
  return true;
})()
