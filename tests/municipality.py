"""The bundled project's municipality, from its profile (data/profil.ttl): the names the tests check its data by.

The library takes the municipality from the project it is handed; these are the bundled project's values,
so that a test says ``ID["namnd/socialnamnden"]`` as before the base came from the profile.
"""

from vetgraph.project import default_project

PROFILE = default_project().profile
BASE = PROFILE.base
ID = PROFILE.namespaces.id
PREFIXES = PROFILE.namespaces.prefixes
