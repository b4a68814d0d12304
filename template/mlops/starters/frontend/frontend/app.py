{%- if data_kind == "image" %}{% set what = "an uploaded image" %}{% elif data_kind == "text" %}{% set what = "a text" %}{% elif data_kind == "tabular" %}{% set what = "one row of feature values" %}{% else %}{% set what = "a graph written as JSON" %}{% endif -%}
"""A Streamlit page in front of the API: {{ what }}, sent to ``POST /predict``, and the predicted
class with the probability of every class.

Start the API first (``invoke serve-api``), then this page with ``invoke frontend``. It calls the API
at the ``API_URL`` environment variable (default http://127.0.0.1:8000); ``api_client.py`` beside it
does the talking.
"""
{% if data_kind == "graph" %}
import json
{% endif %}
import api_client
import streamlit as st


def show(prediction: api_client.Prediction) -> None:
    """The predicted class, then every class with its probability, the most probable first."""
    st.metric("Predicted class", prediction.label)
    st.dataframe(
        prediction.ranked(),
        hide_index=True,
        column_config={
            "probability": st.column_config.ProgressColumn("probability", min_value=0.0, max_value=1.0, format="%.3f")
        },
    )


st.set_page_config(page_title="{{ project_name }}")
st.title("{{ project_name }}")
st.caption(f"Predictions of the API at {api_client.api_url()}")
{%- if data_kind == "image" %}

upload = st.file_uploader("An image to classify", type=["png", "jpg", "jpeg", "bmp", "gif", "webp"], key="image")
request = None if upload is None else api_client.image_request(upload.name, upload.getvalue(), upload.type)
{%- elif data_kind == "text" %}

text = st.text_area("A text to classify", value="heavy rain and strong winds", key="text")
request = api_client.text_request(text)
{%- elif data_kind == "tabular" %}

# The form is built from the served model's own features, so it follows the data it was trained on.
try:
    features = api_client.features()
except api_client.ApiError as error:
    st.error(str(error))
    st.stop()
values: dict[str, float | str] = {}
for feature in features["numbers"]:
    name = feature["name"]
    values[name] = st.number_input(name, value=round(feature["mean"], 2), key=f"feature:{name}")
for feature in features["categories"]:
    name = feature["name"]
    values[name] = st.selectbox(name, feature["values"], key=f"feature:{name}", format_func=lambda v: v or "(empty)")
request = api_client.row_request(values)
{%- else %}

text = st.text_area(
    "A graph as JSON: the features of each node, and the linked pairs of node positions (from 0)",
    value=json.dumps(api_client.EXAMPLE_GRAPH),
    height=150,
    key="graph",
)
try:
    request = api_client.graph_request(text)
except ValueError as error:
    st.error(str(error))
    request = None
{%- endif %}

if st.button("Predict", type="primary", disabled=request is None, key="predict"):
    try:
        prediction = api_client.predict(request)
    except api_client.ApiError as error:
        st.error(str(error))
    else:
{%- if data_kind == "image" %}
        st.image(upload.getvalue(), caption=upload.name, width=160)
{%- endif %}
        show(prediction)
