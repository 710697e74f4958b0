"""Home: what the explorer is, the key takeaways, and a map of the pages."""

import streamlit as st

from ui.common import units
from ui.lesson_player import ready_lesson_links
from ui.page import page_header
from ui.registry import DEFAULT_PAGE, pages_by_section

page_header(
    "Cross-Entropy Explorer",
    "An interactive explorer of cross-entropy loss, softmax and the gradients that train "
    "neural networks. Move a slider and watch the loss, the probabilities and the gradients "
    "respond. Every number on these pages is computed by the project's tested `core` "
    "package, which is checked against PyTorch.",
)

if units() == "bits":
    st.caption("Losses are shown in **bits** (base-2 logarithm). One bit is ln 2 nats.")
else:
    st.caption("Losses are shown in **nats** (natural logarithm). Choose bits in the sidebar.")

unit = units()
st.header("Key takeaways")
st.markdown(
    f"""
1. **Cross-entropy measures surprise.** A model pays −log q for the class that actually
   occurs, so the loss is how surprised it is by the truth. Cross-entropy is the entropy of
   the labels plus the extra {unit} wasted by coding them with the model's probabilities:
   H(P, Q) = H(P) + KL(P ‖ Q). With one-hot labels H(P) = 0, so the whole loss is wasted
   {unit}, and minimizing it means minimizing surprise.
2. **The gradient is simple.** For softmax followed by cross-entropy, the gradient with
   respect to the logits is p − y: prediction minus truth. It does not vanish while the
   model is wrong, but it does shrink toward 0 as the model becomes confidently right, so
   the popular claim that it "never vanishes" (a web article on cross-entropy makes it) is
   only half true. Each entry stays between −1 and 1: this gradient on the logits never
   explodes, though gradients deeper in a network, multiplied by the weights, still can.
   It costs one subtraction.
3. **It is maximum likelihood.** Minimizing cross-entropy on the training data is the same
   as maximizing the likelihood the model gives that data, which gives the loss its
   information-theoretic footing.
4. **Numerical stability matters.** Compute cross-entropy from logits, not from
   probabilities: the log-sum-exp trick (subtract the largest logit) avoids overflow and
   underflow, where log(softmax(z)) can give −∞.
5. **Know when to extend it.** Focal loss for imbalanced data, label smoothing for better
   calibration, and class weights for uneven datasets all modify the same cross-entropy
   objective.
"""
)

st.header("Guided lessons")
st.markdown(
    "A lesson steps through prepared views, each with a note or a question: press *Next* and *Previous*, "
    "the arrow keys, or a presentation clicker. Lecturers make their own in the sidebar's *Lesson* panel."
)
ready_lesson_links()

st.header("Pages")
sections = {
    section: [spec for spec in specs if spec is not DEFAULT_PAGE]
    for section, specs in pages_by_section().items()
}
sections = {section: specs for section, specs in sections.items() if specs}
if not sections:
    st.markdown("The explorer's pages will be listed here as they are added.")
for section, specs in sections.items():
    st.subheader(section)
    for spec in specs:
        st.page_link(spec.path, label=f"**{spec.title}** — {spec.description}", icon=spec.icon)
