"""The words a student reads: sentences under the charts, backprop stage texts, lesson prompts, questions.

No Streamlit and no Plotly: every module here takes numbers from :mod:`core` (and the pages' defaults
from :mod:`core.defaults`) and returns text, so it is tested without a browser.  Import each name from
the module that holds it:

- :mod:`words.sentences`: the sentence under a cross-entropy chart, chosen by the confidence band.
- :mod:`words.class_names`: class names typed by a student, made safe to show, and their emoji.
- :mod:`words.shapes`: dimension checks of matrix products as text, ``(B×H)·(H×C) → (B×C) ✓``.
- :mod:`words.backprop`: the Backpropagation page's stages: titles, LaTeX, named matrices, checks.
- :mod:`words.simplex`: the Probability simplex page: its lead, the sentences by its charts, its lesson.
- :mod:`words.language`: the Language-model surprise page: its notes, sentences, alt texts and lesson.
- :mod:`words.lesson`: what a lesson is (prompts and a predict-then-check question) and its feedback.
- :mod:`words.lessons_cross_entropy`, :mod:`words.lessons_gradients`: every page's lesson.
- :mod:`words.lessons`: ``LESSONS``, the lessons by page.
"""
