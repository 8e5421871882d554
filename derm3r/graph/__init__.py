"""The LangGraph StateGraph of the three agents and the safety check."""
