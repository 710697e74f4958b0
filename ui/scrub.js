// Scrubbing: while a slider's thumb is dragged, its chart shows the value under the thumb.
//
// Mounted by ui/scrub.py (follow_drag) through st.components.v2, once per chart or group, and served by the
// app itself with the page (never from a CDN).  Python sends, as one JSON text (payload), the
// values the slider can take and, for each, the trace updates core computed for it (frames[i], one
// update per trace in traces).
//
// st.slider sends its value to the server only when the thumb is released, but the slider's hidden
// <input type="range"> holds the value under the thumb at every move (and after every arrow key).
// This script watches that input and, when its value is one of data.values, moves the chart's traces
// to that value's frame with Plotly.animate: no transition and no relayout, so only those traces are
// redrawn (a chart plotly.js cannot move in place, a heatmap or axes that follow the value, is redrawn
// with the frame's attributes by Plotly.react instead).  It computes no number, sends nothing to the
// server and writes nothing into the page (the frames' texts are drawn by Plotly as SVG text).
//
// Where the value changes the chart's very shape (a backprop stage's matrices), the payload holds each
// value's whole figure instead (figures), drawn with Plotly.react with the chart's own title and theme.
//
// After the release the page reruns the slider's fragment.  Where the chart is drawn outside that
// fragment (ui/scrub.py's scrubbed_chart), the server does not send it again: the chart keeps showing
// the slider's value because this script keeps it there, also when Plotly redraws the chart from the
// figure it was first given (a resize, a theme change): after every such redraw the slider's frame is
// applied again.

const FRAME_ONLY = { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" };

// The running listener of each chart: a new render of the component (new data after a rerun) stops the one
// before it here, whether or not Streamlit calls its cleanup function (it does not when the data change).
const running = new Map();

// Trace object -> the listener that gave it to Plotly.react (see redrawn): shared, so that two running
// listeners of one chart (Multi-class: a logit and T) each recognise the other's redraw instead of answering
// it forever, while a trace drawn by a listener since replaced (an older state's frame) is drawn again, and
// so is one of a listener's own older draws (Streamlit draws again what plotly.js last reported to it).
const drawnBy = new WeakMap();

// Figure mode: chart div -> the first trace object of the whole figure last drawn into it by any listener,
// and that figure's JSON text.
// Streamlit may redraw a chart with trace objects a listener drew earlier (it keeps the figure plotly.js
// reports after each draw, and draws it again when the chart's box is resized): only the latest counts.
const latestFigure = new WeakMap();

// Figure mode redraws a whole chart (Train a network's decision regions: about 30 ms each).  Where several
// charts follow one slider (one per network), a move draws one of them per animation frame, in page order:
// the first is on screen a frame after the key press or the mouse move, instead of every chart only after
// the last is drawn.  The browser does the same work; it shows it sooner.
let drawnThisFrame = false;
function inTurn(draw) {
  if (drawnThisFrame) {
    requestAnimationFrame(() => inTurn(draw));
    return;
  }
  drawnThisFrame = true;
  requestAnimationFrame(() => {
    drawnThisFrame = false;
  });
  draw();
}

export default function ({ data: bytes }) {
  // One JSON text, sent as bytes (ui/scrub.py): {"bindings": [...]}, one binding per chart and slider,
  // several when a fragment sends its listeners as one element (ui/scrub.py's drag_group).
  const { bindings } = JSON.parse(new TextDecoder().decode(bytes));
  const stops = bindings.map(listen);
  // Streamlit calls this when the component leaves the page.
  return () => stops.forEach((stop) => stop());
}

// Follow one binding: the chart's and the slider's keys, a layout update (axis ranges for the other sliders'
// current values; often empty), whether each frame redraws the chart, and the payload.  Returns the function
// that stops it.
function listen(data) {
  // layouts (optional): each value's axis ranges, for a chart whose axes follow the value; such a chart is
  // redrawn at each frame, as is one that asks for it (a heatmap, which plotly.js cannot move in place).
  // figures (instead of traces and frames): each value's whole figure, for a chart whose shape changes with
  // the value (a backprop stage's matrices); drawn with Plotly.react, keeping the chart's title and theme.
  const { values, traces, frames, layouts, figures } = data.payload;
  // One running listener per chart key: the one it replaces may have followed another slider (Multi-class:
  // the true class changed), and would draw its old frames.
  const id = data.chart;
  const sticky = data.sticky !== false; // draw the slider's frame again after any redraw of the chart
  running.get(id)?.();
  const layout = Object.keys(data.layout).length ? data.layout : null;
  const redraws = Boolean(data.redraw || layouts); // each frame redraws the chart: Plotly.react (reactFrame)
  // Streamlit gives a keyed element's container the class "st-key-<key>".
  const chartSelector = `.st-key-${CSS.escape(String(data.chart))} .js-plotly-plot`;
  const inputSelector = `.st-key-${CSS.escape(String(data.widget))} input[type="range"]`;
  let input = null; // the slider's hidden range input, once found
  let graph = null; // the chart's plotly.js div whose redraws are watched, once found
  let shown = -1; // the index of the frame last drawn
  let animating = false; // true while this script's own Plotly.animate, relayout or react runs
  let missed = false; // Plotly redrew the chart while that ran: draw the slider's frame again after it
  let stopped = false; // replaced by a newer listener (a rerun's new payload): a pending frame draws nothing more
  const me = { running: true }; // this listener, as drawnBy records it
  let lastDrawn = new Set(); // the traces of this listener's last Plotly.react (animate moves them in place)
  let laidOut = null; // the plotly.js div that got this payload's layout update (if it has one)
  let pending = false; // figure mode: a draw of the slider's value waits its turn (inTurn)

  function indexOf(text) {
    const x = Number(text); // floats as JavaScript writes them: compare with a tolerance
    return values.findIndex((v) => Math.abs(v - x) <= 1e-9 * Math.max(1, Math.abs(v)));
  }

  function frame(index) {
    return { data: frames[index], traces }; // Plotly.animate's frame: traces only (a redraw is reactFrame's)
  }

  // The slider moved (a drag or a key): move the chart to the new value's frame with Plotly.animate, which
  // redraws only the moving traces; a chart whose frames redraw it (a heatmap, axes that move) is drawn by
  // reactFrame, and a whole figure by drawFigure, one chart per animation frame (inTurn).
  function follow() {
    if (stopped) return;
    const target = document.querySelector(chartSelector);
    const index = input ? indexOf(input.value) : -1;
    // window.Plotly is plotly.js's own global, set when Streamlit loads its chart code.
    if (!target || !window.Plotly || !plotted(target) || index < 0 || index === shown) return;
    if (figures) {
      if (pending) return; // a draw of this chart is waiting its turn: it reads the slider when it runs
      pending = true;
      return inTurn(() => {
        pending = false;
        const now = input ? indexOf(input.value) : -1;
        if (now >= 0 && now !== shown) drawFigure(true);
      });
    }
    // A frame that redraws the chart (a heatmap, axes that move) is drawn with Plotly.react, as redrawn()
    // draws it: Plotly.animate would finish its redraw a frame later and then call the chart's event
    // emitter, which throws (a page error) if Streamlit purged the chart in between (a rerun's new figure).
    // A move during that draw is drawn when it is done (reactFrame).
    if (redraws) return animating ? undefined : reactFrame(target, index);
    shown = index;
    animating = true;
    const before = target.data[traces[0]]; // Plotly.animate keeps the trace objects; a redraw replaces them
    // The payload's axis ranges (computed by Python for the other sliders' current values), once per chart.
    const laying = layout && laidOut !== target ? window.Plotly.relayout(target, layout) : Promise.resolve();
    laidOut = target;
    // A frame still queued when the next one arrives is interrupted, and plotly.js rejects its promise
    // (with no reason); the newer frame is drawn, so that rejection is expected and dropped here.
    // A chart Streamlit has just unmounted (plotly.js purged it: no _transitionData) is left alone:
    // animating it throws from plotly.js's own frame loop, where no catch here can reach.
    laying
      .then(() => plotted(target) && window.Plotly.animate(target, frame(index), FRAME_ONLY))
      .catch(() => {})
      .finally(() => {
        animating = false;
        // A redraw of the chart's own (a heatmap's frame) is no reason to draw again; Streamlit's is.
        const now = document.querySelector(chartSelector);
        if (missed && (now !== target || now.data?.[traces[0]] !== before)) redrawn();
        missed = false;
      });
  }

  // Plotly redrew the chart from its figure (drawn at the value of the page's last full run): the frame
  // on screen is unknown, so draw the slider's frame again, at once.  Not with Plotly.animate: Streamlit
  // often draws a chart twice in a row, and an animation still running when the second draw replaces the
  // chart throws inside plotly.js.  Plotly.react draws it synchronously, with the frame's attributes set
  // on copies of the traces (and of the layout); its own redraw is recognised by those copies.
  // force: a new chart or a new payload (after a rerun) is drawn at the slider's frame whoever drew it last.
  function redrawn(force = false) {
    if (stopped) return; // its frames are an older state's: the listener that replaced it draws the chart
    if (!sticky) return; // it only follows the slider's moves (ui/scrub.py's follow_drag)
    const target = document.querySelector(chartSelector);
    if (animating) {
      missed = true; // the frame being drawn may be lost: draw it again when that is done
      return;
    }
    missed = false;
    if (!target || !window.Plotly || !plotted(target)) return;
    if (figures) {
      // Not after a listener's own draw (the latest figure is on screen); after Streamlit's, at once.
      const latest = latestFigure.get(target);
      if (target.data[0] !== latest?.trace) drawFigure(true);
      // A new listener (a rerun's new payload) whose figure at the slider's value is the one on screen
      // (drawn by the listener it replaced) draws nothing.
      else if (force && latest.text !== figureText(input ? indexOf(input.value) : -1)) drawFigure(true);
      return;
    }
    // Another running listener's draw is left to it; this listener's own last draw is on screen.  An older
    // draw of its own, which Streamlit drew again after a run (a frame the slider has since left), is not.
    const byOther = (t) => {
      const drawer = drawnBy.get(target.data[t]);
      return drawer?.running && drawer !== me;
    };
    if (!force && traces.some((t) => byOther(t) || lastDrawn.has(target.data[t]))) return;
    const index = input ? indexOf(input.value) : -1;
    if (index < 0) return;
    reactFrame(target, index);
  }

  // Draw frame index with Plotly.react, on copies of the chart's traces (and layout) with the frame's
  // attributes set; the copies are marked as this listener's, so its own redraw is recognised.
  function reactFrame(target, index) {
    const data = target.data.slice();
    traces.forEach((t, k) => {
      data[t] = merged(data[t], frames[index][k]);
      drawnBy.set(data[t], me);
    });
    lastDrawn = new Set(traces.map((t) => data[t]));
    let laid = target.layout;
    if (layout) laid = Object.entries(layout).reduce((node, [path, value]) => at(node, path, value), laid);
    if (layouts) laid = merged(laid, layouts[index]);
    shown = index;
    laidOut = target;
    react(target, data, laid, () => {
      if (missed) redrawn(); // Streamlit redrew it meanwhile (this draw's own is recognised there)
      if (redraws) follow(); // the slider moved meanwhile (follow draws a new value only, not while drawing)
    });
  }

  // Plotly.react, marked as this listener's own draw while it runs; then(): what to do once it is done.
  function react(target, data, laid, then) {
    animating = true;
    try {
      window.Plotly.react(target, data, laid)
        .catch(() => {})
        .finally(() => {
          animating = false;
          then();
        });
    } catch (error) {
      animating = false; // plotly.js could not draw this chart (e.g. removed meanwhile): leave it
    }
  }

  // Figure mode: draw the slider's value's whole figure with Plotly.react, on copies (plotly.js writes into
  // what it draws), with the chart's own title, theme template and width (Streamlit set them).  A move
  // during a draw is drawn after it; force: draw even if this listener's figure is on screen (Streamlit
  // redrew the chart, or the slider moved).
  function drawFigure(force) {
    if (stopped) return;
    const target = document.querySelector(chartSelector);
    if (!target || !window.Plotly || !plotted(target)) return;
    if (animating) {
      missed = true;
      return;
    }
    missed = false;
    const index = input ? indexOf(input.value) : -1;
    if (index < 0 || (!force && index === shown && target.data[0] === latestFigure.get(target)?.trace)) return;
    const figure = figures[index];
    const drawn = structuredClone(figure.data);
    latestFigure.set(target, { trace: drawn[0], text: figureText(index) });
    const laid = structuredClone(figure.layout);
    for (const key of ["template", "title", "width"]) if (key in target.layout) laid[key] = target.layout[key];
    shown = index;
    react(target, drawn, laid, () => {
      // The slider moved, or Streamlit redrew the chart, meanwhile.  Not forced: plotly.js's own afterplot
      // of this draw also lands here, and this listener's figure at that value is on screen.
      if (missed) drawFigure(false);
    });
  }

  const texts = new Map(); // figure mode: index -> the figure's JSON text, to recognise it on screen
  function figureText(index) {
    if (index < 0) return null;
    if (!texts.has(index)) texts.set(index, JSON.stringify(figures[index]));
    return texts.get(index);
  }

  const afterplot = () => redrawn(false);
  const valueObserver = new MutationObserver(follow);
  // Find the input and the chart, and again whenever Streamlit replaces them (one querySelector each per
  // batch of changes); a new chart is brought to the slider's value.
  function watch() {
    const found = document.querySelector(inputSelector);
    if (found !== input) {
      valueObserver.disconnect();
      input = found;
      if (input) valueObserver.observe(input, { attributes: true, attributeFilter: ["value"] });
    }
    const chart = document.querySelector(chartSelector);
    if (chart !== graph && chart && typeof chart.on === "function") {
      graph = chart; // a plotly.js div gets .on() (its event emitter) when it is first drawn
      graph.on("plotly_afterplot", afterplot);
      redrawn(true);
    }
  }

  watch();
  const pageObserver = new MutationObserver(watch);
  pageObserver.observe(document.body, { childList: true, subtree: true });
  function stop() {
    stopped = true;
    me.running = false;
    pageObserver.disconnect();
    valueObserver.disconnect();
    if (graph && typeof graph.removeListener === "function") graph.removeListener("plotly_afterplot", afterplot);
    if (running.get(id) === stop) running.delete(id);
  }
  running.set(id, stop);
  return stop;
}

// A copy of a trace or layout object with an update's attributes set: nested objects merged, arrays and
// values replaced (the update holds numbers core computed; nothing is computed here).
function merged(base, update) {
  const out = { ...base };
  for (const [key, value] of Object.entries(update)) {
    const plain = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v);
    out[key] = plain(value) && plain(base[key]) ? merged(base[key], value) : value;
  }
  return out;
}

// A copy of a layout object with one attribute path ("xaxis2.range", as Plotly.relayout takes) set.
function at(node, path, value) {
  const [head, ...rest] = path.split(".");
  const child = node[head] !== null && typeof node[head] === "object" ? node[head] : {};
  return { ...node, [head]: rest.length ? at(child, rest.join("."), value) : value };
}

// Whether plotly.js has drawn this div and not purged it since (Plotly.purge deletes its _transitionData),
// and it is still in the page.
function plotted(graph) {
  return graph.isConnected && graph._transitionData !== undefined;
}
