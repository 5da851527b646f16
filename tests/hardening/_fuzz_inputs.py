"""Seeds, mutations and a hang guard for the fuzz tests of the readers.

Every reader is fuzzed from valid files: a seed (a file dependencia wrote
itself, or one written by hand to exercise a feature such as YAML anchors or
quoted CSV cells) is mutated a few times (bytes flipped, inserted, deleted,
duplicated, or a token that matters to some format spliced in). Hypothesis
shrinks a failing input to a small one.

The contract checked is the readers' documented one: a file either reads,
or the reader raises :class:`~dependencia.errors.InputError` naming the file,
in one bounded line. Anything else is a bug, and so is a read that takes
longer than :data:`HANG_SECONDS`.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from dependencia.errors import MAX_MESSAGE, InputError
from dependencia.network.model import Network

#: A read that takes longer than this hangs (the inputs are a few KB).
HANG_SECONDS = 20
#: ``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs this many times more examples than ``make test``.
FUZZ_SCALE = 25 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 1


def fuzz_settings(examples: int) -> settings:
    """``examples`` examples in ``make test`` (``FUZZ_SCALE`` times as many under the fuzz profile)."""
    return settings(
        max_examples=examples * FUZZ_SCALE,
        deadline=5000,  # ms per example; a hang is caught by the guard below
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


class Hang(BaseException):
    """Raised in the reader when it runs past its time (BaseException: no reader may swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float = HANG_SECONDS) -> Iterator[None]:
    def expire(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def reads_or_refuses(call, source: str | None = None):
    """Run a reader: it must return, or raise an InputError that names ``source`` in one bounded line."""
    try:
        with time_limit():
            return call()
    except InputError as problem:
        message = str(problem)
        assert "\n" not in message and len(message) <= MAX_MESSAGE + 10, message[:2000]
        if source is not None:
            assert problem.source is not None and message.startswith(problem.source), message
            assert problem.source.startswith(source), (problem.source, source)
        return None


# ---------------------------------------------------------------- seeds

def seed_network() -> Network:
    """A small network with every table and free attributes: the writers turn it into seed files."""
    return Network.from_records(
        [{"id": "ms", "kind": "firm", "label": "Micro, soft", "budget": 5, "hq": "Redmond"},
         {"id": "gh", "kind": "firm", "unit_cost": 0.5}, {"id": "me", "kind": "person"},
         {"id": "bund", "kind": "state", "budget": 481}],
        [{"dependent": "me", "provider": "gh", "dimension": "code", "strength": 2, "via": ["azure"], "distance": 3},
         {"dependent": "gh", "provider": "ms", "dimension": "capital", "channel": "market", "distance": 1.5},
         {"dependent": "bund", "provider": "ms", "dimension": "code", "channel": "public", "note": 'q"uote'}],
        dimensions=[{"id": "code", "monetized": 0.5}, {"id": "capital"}, {"id": "care", "monetized": 0.0}],
        infrastructures=[{"id": "azure", "owner": "ms", "dimensions": ["code", "capital"], "build_cost": 7,
                          "upkeep": 1}],
        needs=[{"dependent": "me", "dimension": "care"}],
        ownership=[{"owner": "ms", "owned": "gh", "share": 0.75}],
        authority=[{"holder": "bund", "subject": "ms"}],
    )


HAND_YAML = b"""\
dependencia: 1
dimensions: [{id: compute, monetized: 1.0}, {id: care, monetized: 0.0}]
actors:
  - &firm {id: nvidia, kind: firm, unit_cost: 1.0}
  - {<<: *firm, id: openai, tags: &t [a, b]}
  - {id: board, kind: ngo, tags: *t}
  - id: bund
    kind: state
    budget: 4.81e2
infrastructures: [{id: azure, owner: nvidia, dimensions: [compute], build_cost: 10}]
dependencies:
  - {dependent: openai, provider: nvidia, dimension: compute, strength: 3, channel: market, via: [azure]}
  - {dependent: board, provider: openai, dimension: care, strength: .5}
needs: [{dependent: bund, dimension: compute}]
ownership: [{owner: nvidia, owned: openai, share: 0.49}]
authority: [{holder: board, subject: openai}]
"""

HAND_EDGES = (
    b'\xef\xbb\xbfsource,target,dimension,strength,channel,via,distance\r\n'
    b'a,b,compute,2,market,x;y,1.5\r\n'
    b'"b ","c, d",,,,,\r\n'
    b'a,"c, d",care,0.5,care,,3\r\n'
    b'\r\n'
    b'c,a,"multi\r\nline",1,,x,2\r\n'
)
HAND_ACTORS = b"id,kind,budget,label,size\na,firm,10,\"A, Inc.\",3\nzoe,person,,,\n\"c, d\",state,481,,1e3\n"

#: Tokens that mean something to one of the formats, spliced into seeds by the mutations.
TOKENS = [
    b",", b";", b"\t", b'"', b"'", b"\n", b"\r\n", b"\r", b" ", b"\xef\xbb\xbf", b"\x00", b"\xff\xfe", b"\xc3",
    b"\xe9", b"nan", b"NaN", b"inf", b"-inf", b".inf", b".nan", b"Infinity", b"-1", b"0", b"-0", b"1e400",
    b"9" * 40, b"1" * 320, b"null", b"~", b"true", b"yes", b"2024-13-45", b"0x1F", b"1_000", b"&a ", b"*a",
    b"<<: *a", b"!!python/object/apply:os.system ['true']", b"!!binary", b"!!set", b"? ", b"- ", b": ", b"[",
    b"]", b"{", b"}", b"|", b">", b"#", b"%YAML 1.2\n---\n", b"---\n", b"...\n", b"<", b"</", b"/>", b"&lt;",
    b"&#0;", b"&#x1F;", b"<!ENTITY e \"x\">", b"<![CDATA[", b"]]>", b'<data key="d0">', b'key="', b'id="',
    b'attr.type="long"', b'attr.type="boolean"', b'for="node"', b'source="', b'target="', b"id", b"dependent",
    b"provider", b"owner", b"owned", b"share", b"strength", b"via", b"dimension", b"dimensions", b"channel",
    b"kind", b"monetized", b"budget", b"dependencia", b"actors", b"1.5", b"2", b"10000000000000000000000",
]


@st.composite
def mutated(draw, seeds: list[bytes], max_mutations: int = 6) -> bytes:
    """A seed with a few random mutations (hypothesis shrinks toward the seed itself)."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, max_mutations))):
        operation = draw(st.sampled_from(["token", "token", "byte", "delete", "duplicate", "truncate"]))
        position = draw(st.integers(0, len(data)))
        if operation == "token":
            token = draw(st.sampled_from(TOKENS))
            replace = draw(st.integers(0, 4))
            data[position:position + replace] = token
        elif operation == "byte":
            data[position:position + 1] = bytes([draw(st.integers(0, 255))])
        elif operation == "delete":
            del data[position:position + draw(st.integers(1, 16))]
        elif operation == "duplicate":
            length = draw(st.integers(1, 64))
            data[position:position] = data[position:position + length] * draw(st.integers(1, 3))
        else:
            del data[position:]
    return bytes(data)
