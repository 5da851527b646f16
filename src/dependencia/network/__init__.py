"""The network model and the changes made to it.

``model`` holds :class:`~dependencia.network.model.Network` (validated tables,
references, routes), ``schema`` the tables' fields and column-wise checks,
``control`` the resolution of control by ownership, ``edits`` and
``operations`` the explicit changes to a network. This layer imports only
``base`` and :mod:`dependencia.errors`: everything else builds on it.
"""
