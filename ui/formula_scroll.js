// Display formulas: keyboard users can scroll a formula wider than its column, and a formula that is
// wider only by KaTeX's rounding gets no scroll bar.
//
// Loaded by ui/formula_scroll.py through st.components.v2 (served with the page, never from a CDN).
// st.latex draws display math with KaTeX in a box that scrolls sideways (overflow-x: auto). When the
// formula is wider than its column, that box is a scrollable region, which a keyboard user can only
// scroll if it can take the focus: this script gives it tabindex="0" and a name. KaTeX's glyph
// rounding often makes a formula 1 to 3 px wider than a box it fits in; such a box gets no focus and
// overflow-x: hidden instead (those pixels are empty), so it shows no scroll bar.
// It changes attributes and one style of KaTeX's boxes, renders nothing and writes no text into the page.
//
// data: { label: the accessible name of a formula box that scrolls }

const ROUNDING_PX = 4; // up to this much wider than its box, a formula is KaTeX's rounding

export default function ({ data }) {
  const label = String(data.label);
  let pending = false;
  // A formula's width also changes without any element added: when KaTeX's fonts arrive, or when its
  // column is resized. So each box and its formula are watched for a change of size too.
  const watched = new WeakSet();
  const sizes = new ResizeObserver(() => schedule());

  function fit(box) {
    // scrollWidth is the formula's width whatever the box's overflow, so measuring changes nothing (a
    // change would show or hide a scroll bar, resize the box and wake the observer again).
    const extra = box.scrollWidth - box.clientWidth;
    if (extra > ROUNDING_PX) {
      box.style.removeProperty("overflow-x"); // the stylesheet's overflow-x: auto
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label);
      return;
    }
    // "important": Streamlit's stylesheet sets the box's overflow-x with !important.
    if (extra > 0) box.style.setProperty("overflow-x", "hidden", "important");
    else box.style.removeProperty("overflow-x");
    if (box.getAttribute("aria-label") === label) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function fitAll() {
    pending = false;
    document.querySelectorAll(".katex-display").forEach((box) => {
      if (!watched.has(box)) {
        watched.add(box);
        sizes.observe(box);
        if (box.firstElementChild) sizes.observe(box.firstElementChild);
      }
      fit(box);
    });
  }

  // After the layout: formulas are drawn after this script first runs and again on every rerun.
  function schedule() {
    if (!pending) {
      pending = true;
      requestAnimationFrame(fitAll);
    }
  }

  // Whether a batch of changes added (or changed) a display formula.  Measuring the boxes forces the
  // browser to lay out the page, about 8 ms on the Backpropagation page: every other change (a chart
  // redrawn under a drag, a rerun's new numbers) must not pay it.  A formula whose size changes in place
  // wakes the ResizeObserver.
  function addedFormula(records) {
    for (const record of records) {
      if (record.target.closest?.(".js-plotly-plot")) continue; // a chart's own drawing
      if (record.target.closest?.(".katex-display")) return true; // a formula redrawn in place
      for (const node of record.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        if (node.matches(".katex-display") || node.querySelector(".katex-display")) return true;
      }
    }
    return false;
  }

  schedule();
  const observer = new MutationObserver((records) => {
    if (addedFormula(records)) schedule();
  });
  observer.observe(document.body, { childList: true, subtree: true });
  document.fonts?.addEventListener("loadingdone", schedule);
  // KaTeX's fonts can change a formula's width after "loadingdone" has fired (the layout follows later),
  // without resizing its block-level box: measure again once the fonts are ready, and a second later.
  document.fonts?.ready.then(schedule);
  const late = setTimeout(schedule, 1000);
  // Streamlit calls this when the component leaves the page or is mounted again with new data.
  return () => {
    observer.disconnect();
    sizes.disconnect();
    document.fonts?.removeEventListener("loadingdone", schedule);
    clearTimeout(late);
  };
}
