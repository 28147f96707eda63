"""Streamlit glue: session state, cached loaders, the sidebar, the login."""
