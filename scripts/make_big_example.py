"""Write examples/big.csv: a directed scale-free edge list for the README's approximation example.

The file ships; this script says how it was made and makes it again, byte for byte.
NetworkX's ``scale_free_graph`` (Bollobas et al. 2003) with a fixed seed gives 3,000
nodes; parallel edges and self-loops are dropped, and each remaining edge ``u -> v``
becomes the row ``u,v``: u depends on v.

Usage: python scripts/make_big_example.py [--nodes 3000] [--seed 7] [--out examples/big.csv]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import networkx as nx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("examples/big.csv"))
    args = parser.parse_args()
    graph = nx.DiGraph(nx.scale_free_graph(args.nodes, seed=args.seed))
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    lines = ["source,target"] + [f"n{u},n{v}" for u, v in sorted(graph.edges())]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")


if __name__ == "__main__":
    main()
