"""Ownership registers (dp.read_ownership): real registers' quirks accepted, bad rows refused with their line."""

from __future__ import annotations

import warnings

import pytest
from _io_helpers import raises_input_error, write

import dependencia as dp
from dependencia.errors import InputWarning


def records(frame):
    return [(o, t, round(s, 12)) for o, t, s in frame[["owner", "owned", "share"]].itertuples(index=False)]


def test_fractions_are_read_as_they_are(tmp_path):
    path = write(tmp_path / "r.csv", "owner,owned,share\na,b,0.6\nc,b,0.4\n")
    assert records(dp.read_ownership(path)) == [("a", "b", 0.6), ("c", "b", 0.4)]


@pytest.mark.parametrize("text", [
    "owner,owned,share_pct\na,b,60\nc,b,0.5\n",  # the header says percent: 0.5 is half a percent
    "owner,owned,percent\na,b,60\nc,b,0.5\n",
    "owner,owned,share\na,b,60%\nc,b,0.5\n",  # a % sign: the column is percent
    "owner,owned,share\na,b,60\nc,b,0.5\n",  # a share over 1, none over 100: percent
    "Owner , Owned,Share PCT\na,b,60\nc,b, 0.5 %\n",  # headers by case and spaces; white space in cells
])
def test_percent_is_detected(tmp_path, text):
    assert records(dp.read_ownership(write(tmp_path / "r.csv", text))) == [("a", "b", 0.6), ("c", "b", 0.005)]


def test_repeated_pairs_are_summed_and_names_stripped(tmp_path):
    # share classes of one holder: summed into one holding, in the order of the pair's first row
    path = write(tmp_path / "r.csv", "owner,owned,share,class\n a ,b,0.2,A\nc,b,0.1,A\na, b,0.3,B\n")
    frame = dp.read_ownership(path)
    assert records(frame) == [("a", "b", 0.5), ("c", "b", 0.1)]
    assert frame["class"].tolist() == ["A", "A"]  # other columns from the pair's first row


@pytest.mark.parametrize(("text", "delimiter"), [("owner;owned;share\na;b;40\nc;b;35\n", ";"),
                                                 ("owner\towned\tshare\na\tb\t40\nc\tb\t35\n", "\t")])
def test_semicolons_and_tabs(tmp_path, text, delimiter):
    assert records(dp.read_ownership(write(tmp_path / "r.csv", text))) == [("a", "b", 0.4), ("c", "b", 0.35)]


def test_treasury_shares_are_left_out_with_a_warning(tmp_path):
    path = write(tmp_path / "r.csv", "owner,owned,share\nb,b,0.05\na,b,0.6\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = dp.read_ownership(path)
    assert records(frame) == [("a", "b", 0.6)]
    assert [type(w.message) for w in caught] == [InputWarning]
    assert str(caught[0].message) == (f"{path}, line 2, column owned: 'b' holds shares of itself (treasury shares); "
                                      "1 such row(s) left out")
    raises_input_error(lambda: dp.read_ownership(path, strict=True), path, "line 2, column owned",
                       "treasury shares", "strict reading refuses it")


def test_shares_over_100_percent_in_one_firm_are_refused_naming_the_rows(tmp_path):
    path = write(tmp_path / "r.csv", "owner,owned,share_pct\na,x,60\nb,y,10\nc,x,30\na,x,15\n")
    error = raises_input_error(lambda: dp.read_ownership(path), path, "line 5",
                               "the shares held in 'x' sum to 105%, more than 100% (lines 2, 4, 5)")
    assert str(error).startswith(f"{path}, line 5: ")


@pytest.mark.parametrize(("text", "where", "words"), [
    ("owner,owned,share\na,b,-0.1\n", "line 2, column share", "the share must be more than 0, got '-0.1'"),
    ("owner,owned,share\na,b,0\n", "line 2, column share", "more than 0, got '0'"),
    ("owner,owned,share\na,b,0.2\na,c,inf\n", "line 3, column share", "must be a finite number, got 'inf'"),
    ("owner,owned,share\na,b,nan\n", "line 2, column share", "finite number, got 'nan'"),
    ("owner,owned,share\na,b,abc\n", "line 2, column share", "the share 'abc' is not a number"),
    ("owner;owned;share\na;b;\"12,5%\"\n", "line 2, column share", "a decimal comma? write '12.5'"),
    ("owner;owned;share\na;b;12,5\n", "line 2, column share", "decimal comma"),
    ("owner,owned,share\na,b,\n", "line 2, column share", "the share is missing"),
    ("owner,owned,share\n,b,0.5\n", "line 2, column owner", "the owner name is missing"),
    ("owner,owned,share\na,  ,0.5\n", "line 2, column owned", "the owned name is missing"),
    ("owner,owned,share_pct\na,b,101\n", "line 2, column share_pct", "the share '101' is more than 100%"),
    ("owner,owned,share\na,b,0.5\nc,d,250\n", "line 3, column share",
     "the share '250' is more than 100: shares are fractions (0 to 1) or percent (0 to 100)"),
    ("owner,owned\na,b\n", "line 1", "no share column"),
    ("holder,owned,share\na,b,1\n", "line 1", "no 'owner' column"),
    ("owner,owned,share,percent\na,b,1,1\n", "line 1", "two share columns, 'share' and 'percent'"),
])
def test_bad_rows_are_refused_with_their_line(tmp_path, text, where, words):
    path = write(tmp_path / "r.csv", text)
    raises_input_error(lambda: dp.read_ownership(path), path, where, words)


def test_attached_to_a_network(tmp_path):
    net = dp.Network.from_records([{"id": i} for i in ("msft", "openai", "fund")],
                                  [{"dependent": "openai", "provider": "msft"}],
                                  ownership=[{"owner": "fund", "owned": "msft", "share": 0.1}])
    path = write(tmp_path / "r.csv", "owner,owned,share_pct\nmsft,openai,49\nfund,openai,2\nmsft,openai,3\n")
    attached = dp.read_ownership(path, network=net)
    # the register replaces the ownership table; control is resolved again (0.49 + 0.03 > 1/2)
    assert records(attached.ownership) == [("msft", "openai", 0.52), ("fund", "openai", 0.02)]
    assert attached.controls("msft") == {"msft", "openai"}
    assert attached.dependencies.equals(net.dependencies) and attached.control == net.control
    linear = dp.read_ownership(path, network=net.with_control("threshold", 0.4))
    assert linear.control.model == "threshold" and linear.controls("msft") == {"msft", "openai"}


def test_attaching_names_the_register_line(tmp_path):
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}])
    unknown = write(tmp_path / "u.csv", "owner,owned,share\na,b,0.1\nzed,b,0.2\n")
    raises_input_error(lambda: dp.read_ownership(unknown, network=net), unknown, "line 3, column owner",
                       "unknown actor 'zed'")
    mutual = write(tmp_path / "m.csv", "owner,owned,Share PCT\na,b,60\nb,a,70\n")
    raises_input_error(lambda: dp.read_ownership(mutual, network=net), mutual, "line 3, column Share PCT",
                       "actors 'a' and 'b' control each other")


def test_a_failed_read_leaves_the_network_as_it_was(tmp_path):
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], ownership=[{"owner": "a", "owned": "b", "share": 0.3}])
    path = write(tmp_path / "r.csv", "owner,owned,share\na,b,0.7\nb,a,0.8\n")
    with pytest.raises(dp.InputError):
        dp.read_ownership(path, network=net)
    assert net.ownership["share"].tolist() == [0.3] and net.controls("a") == {"a"}
