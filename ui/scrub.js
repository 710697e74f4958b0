// Scrubbing: while a slider's thumb is dragged, its chart shows the value under the thumb.
//
// Mounted by ui/scrub.py (follow_drag) through st.components.v2, once per chart, and served by the
// app itself with the page (never from a CDN).  Python sends, as one JSON text (data.payload), the
// values the slider can take and, for each, the trace updates core computed for it (frames[i], one
// update per trace in traces).
//
// st.slider sends its value to the server only when the thumb is released, but the slider's hidden
// <input type="range"> holds the value under the thumb at every move (and after every arrow key).
// This script watches that input and, when its value is one of data.values, moves the chart's traces
// to that value's frame with Plotly.animate: no transition and no relayout, so only those traces are
// redrawn.  It computes no number, sends nothing to the server and writes nothing into the page (the
// frames' texts are drawn by Plotly as SVG text).  The release then reruns the page as before, which
// draws the same chart at the committed value.

const FRAME_ONLY = { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" };

export default function ({ data }) {
  const { values, traces, frames } = JSON.parse(data.payload);
  // Streamlit gives a keyed element's container the class "st-key-<key>".
  const chartSelector = `.st-key-${CSS.escape(String(data.chart))} .js-plotly-plot`;
  const inputSelector = `.st-key-${CSS.escape(String(data.widget))} input[type="range"]`;
  let input = null; // the slider's hidden range input, once found
  let shown = -1; // the index of the frame last drawn

  function indexOf(text) {
    const x = Number(text); // floats as JavaScript writes them: compare with a tolerance
    return values.findIndex((v) => Math.abs(v - x) <= 1e-9 * Math.max(1, Math.abs(v)));
  }

  function follow() {
    const graph = document.querySelector(chartSelector);
    const index = input ? indexOf(input.value) : -1;
    // window.Plotly is plotly.js's own global, set when Streamlit loads its chart code.
    if (!graph || !window.Plotly || index < 0 || index === shown) return;
    shown = index;
    // A frame still queued when the next one arrives is interrupted, and plotly.js rejects its promise
    // (with no reason); the newer frame is drawn, so that rejection is expected and dropped here.
    window.Plotly.animate(graph, { data: frames[index], traces }, FRAME_ONLY).catch(() => {});
  }

  const valueObserver = new MutationObserver(follow);
  // Find the input, and again whenever Streamlit replaces it (one querySelector per batch of changes).
  function watch() {
    const found = document.querySelector(inputSelector);
    if (found === input) return;
    valueObserver.disconnect();
    input = found;
    if (input) valueObserver.observe(input, { attributes: true, attributeFilter: ["value"] });
  }

  watch();
  const pageObserver = new MutationObserver(watch);
  pageObserver.observe(document.body, { childList: true, subtree: true });
  // Streamlit calls this when the component leaves the page or is mounted again with new data.
  return () => {
    pageObserver.disconnect();
    valueObserver.disconnect();
  };
}
