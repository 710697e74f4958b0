// Live charts: while the Train a network page plays, its charts move to each new epoch without a redraw.
//
// Mounted by ui/live_charts.py (move_charts) through st.components.v2 in the page's live fragment, which
// reruns once a second while training plays.  Each run sends, as one JSON text (data.payload), the next
// second's updates (five) and the time between two of them (interval, in ms).  An update holds, for each
// chart (by the key it was drawn with), what core's figure builder drew for one epoch: every trace's x
// and y, and layout values that change as training goes on (the axis ranges, the decision regions'
// image).  The charts themselves are drawn once, outside the fragment, so Streamlit leaves them alone
// meanwhile; this script draws the first update at once and each next one `interval` ms later:
//
// - layout values that differ from the chart's: Plotly.relayout (the image of the decision regions every
//   epoch, a few milliseconds; an axis range only when it steps, 10 → 20 epochs and so on);
// - the traces of a line chart: Plotly.animate without a redraw, which redraws only the traces, not the
//   axes and legend;
// - whole attributes of a heatmap (the digits' confusion matrix): Plotly.restyle, which redraws the chart.
//
// It only picks which of the updates core computed to draw when: it computes no number, sends nothing to
// the server and writes nothing into the page but through Plotly.  A chart that is not on the page (yet)
// is skipped: every update is complete, so the next one catches up.  New updates replace the ones not
// drawn yet; when training pauses, the component leaves the page (its timer stops) and the page draws the
// charts at the epoch reached, as before.

const FRAME_ONLY = { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" };

// The value at a layout path such as "xaxis.range" or "images[0].source" (undefined if absent).
function valueAt(layout, path) {
  let node = layout;
  for (const part of path.split(".")) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$/.exec(part);
    if (!match || node == null) return undefined;
    node = node[match[1]];
    if (match[2] !== undefined) node = node == null ? undefined : node[Number(match[2])];
  }
  return node;
}

function move(graph, update) {
  const changed = {};
  for (const [path, value] of Object.entries(update.layout || {})) {
    if (JSON.stringify(valueAt(graph.layout, path)) !== JSON.stringify(value)) changed[path] = value;
  }
  let done = Object.keys(changed).length ? window.Plotly.relayout(graph, changed) : Promise.resolve();
  if (update.restyle) {
    // Whole attributes of every trace (a heatmap's z and text): Plotly redraws the chart.
    const indices = Object.values(update.restyle)[0].map((_, i) => i);
    done = done.then(() => window.Plotly.restyle(graph, update.restyle, indices));
  }
  if (update.traces && update.traces.length) {
    done = done.then(() =>
      window.Plotly.animate(graph, { data: update.data, traces: update.traces }, FRAME_ONLY),
    );
  }
  // A frame still queued when the next payload arrives is interrupted, and plotly.js rejects its promise
  // (with no reason); the next payload is complete and draws the chart, so that rejection is dropped.
  done.catch(() => {});
}

export default function ({ data }) {
  const { updates, interval } = JSON.parse(data.payload);
  let next = 0;
  let timer = null;
  function draw() {
    timer = null;
    // window.Plotly is plotly.js's own global, set when Streamlit loads its chart code.
    if (!window.Plotly) return;
    for (const [key, update] of Object.entries(updates[next])) {
      // Streamlit gives a keyed element's container the class "st-key-<key>".
      const graph = document.querySelector(`.st-key-${CSS.escape(key)} .js-plotly-plot`);
      if (graph && graph._fullLayout) move(graph, update);
    }
    next += 1;
    if (next < updates.length) timer = setTimeout(draw, interval);
  }
  draw();
  // Streamlit calls this when the component leaves the page or is mounted again with new updates.
  return () => {
    if (timer !== null) clearTimeout(timer);
  };
}
