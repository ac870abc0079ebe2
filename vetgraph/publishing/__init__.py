"""The strategy as linked open data: the site model, its pages, the catalogue, the writer and the server.

* :mod:`vetgraph.publishing.site` - which resources get pages, where their documents go
* :mod:`vetgraph.publishing.pages` - the pages as view models
* :mod:`vetgraph.publishing.catalogue` - DCAT-AP-SE (checked against DCAT-AP 3.0) and VoID
* :mod:`vetgraph.publishing.writer` - ``publish()``: the whole site, written atomically
* :mod:`vetgraph.publishing.negotiation` and :mod:`vetgraph.publishing.serve` - ``vetgraph serve``
"""
