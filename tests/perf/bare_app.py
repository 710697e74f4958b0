"""The latency floor: one slider and one four-bar Plotly chart, nothing else.

Started by tests/perf/bench_latency.py beside the real app, so the real pages' latency can be read as
a ratio to what Streamlit itself costs on the same machine in the same run.
"""

import plotly.graph_objects as go
import streamlit as st

value = st.slider("Value", 0.0, 1.0, 0.5, 0.01, key="bare_value")
fig = go.Figure(go.Bar(x=["a", "b", "c", "d"], y=[value, 1 - value, value / 2, 0.25]))
st.plotly_chart(fig, key="bare_chart")
