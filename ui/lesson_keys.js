// Lesson keys: Next and Previous from the keyboard or a presentation clicker.
//
// Loaded by ui/lesson_player.py through st.components.v2 while a lesson is open (served with the page,
// never from a CDN).  A presentation clicker sends Page Down / Page Up for its two buttons (some send
// the arrow keys), so:
//
//   ArrowRight, PageDown  ->  "next"
//   ArrowLeft,  PageUp    ->  "previous"
//
// sent to Python as the trigger value "move"; Python opens the step.  A key pressed in a control that
// uses these keys itself is left alone, so a focused slider, text field, select box or radio group
// still moves with the arrow keys.  Key presses with a modifier, repeats of a held key and keys a
// control already handled are left alone too, and a press while the app is still running is dropped.
// The script renders nothing and writes no text; it marks its own empty element
// data-listening="true" while it listens.

const NEXT_KEYS = new Set(["ArrowRight", "PageDown"]);
const PREVIOUS_KEYS = new Set(["ArrowLeft", "PageUp"]);
// Elements that use the arrow or page keys themselves (and anything inside them).
const OWN_KEYS = [
  "input",
  "textarea",
  "select",
  "[contenteditable]:not([contenteditable='false'])",
  "[role='slider']",
  "[role='spinbutton']",
  "[role='textbox']",
  "[role='combobox']",
  "[role='listbox']",
  "[role='option']",
  "[role='radiogroup']",
  "[role='radio']",
  "[role='tablist']",
  "[role='tab']",
  "[role='menu']",
  "[role='menuitem']",
  "[role='grid']",
  "[role='dialog']",
].join(", ");

export default function ({ parentElement, setTriggerValue }) {
  function onKeyDown(event) {
    if (event.defaultPrevented || event.repeat) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const move = NEXT_KEYS.has(event.key) ? "next" : PREVIOUS_KEYS.has(event.key) ? "previous" : null;
    if (move === null) return;
    const target = event.target;
    if (target instanceof Element && target.closest(OWN_KEYS)) return;
    event.preventDefault(); // Page Down would also scroll the page
    // While the app is still running (a step opening, say) a second press is dropped: a press sent
    // then would carry the old view's controls into the new one.  Streamlit marks its root element
    // with the script's state (the attribute its own tests read).
    const app = document.querySelector("[data-testid='stApp']");
    if (app && app.getAttribute("data-test-script-state") === "running") return;
    setTriggerValue("move", move);
  }

  document.addEventListener("keydown", onKeyDown);
  parentElement.setAttribute("data-listening", "true"); // the keys are live (the e2e tests wait for it)
  // Streamlit calls this when the component leaves the page (a step on another page, the lesson closed).
  return () => {
    document.removeEventListener("keydown", onKeyDown);
    parentElement.removeAttribute("data-listening");
  };
}
