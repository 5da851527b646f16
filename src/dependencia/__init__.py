"""dependencia: power as betweenness in a multi-dimensional network of dependencies."""
from .errors import DependenciaError, InputError, UsageError
from .model import Network
from .measures.betweenness import betweenness
