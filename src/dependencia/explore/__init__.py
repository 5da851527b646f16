"""The live what-if explorer (issue 20).

The state of an edited network (`state`), the web app over it (`app`, `server`) and its page
(docs/explore.md).
"""
