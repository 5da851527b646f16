"""The findings of the static scenarios, computed, and the text that states them (issues 17 and 22).

A static scenario's finding is a computation on one network, not an experiment over seeds: the
computation is the finding's specification. Each function here computes one scenario's findings
through the public API (``dp.power``, ``dp.rents``, ``dp.measures``, ``dp.edits``) on the routed
graph and, where the narrative compares, the hub graph, and returns the text of its narrative's
findings block: every number read from the computation, and each statement said to be an identity
of the model (true whatever the network) or a computation that could have come out otherwise. Where
the prose around a number explains a mechanism that holds in one direction only (a sign, a tie),
``require`` checks that direction and stops with the statement's name if the computation no longer
agrees, instead of writing a wrong sentence. ``scripts/write_static_findings.py`` writes the blocks.

Usage: python scripts/static_findings.py [SCENARIO ...]   (prints the blocks; default every static scenario)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
from findings_prose import (
    NAMES,
    NUMBER_WORDS,
    count,
    details,
    fixed,
    listing,
    named,
    panel,
    require,
    sig,
    signed,
    verdicts,
    where,
    wrap,
)

import dependencia as dp

#: Oxfam, Time to Care (2020): at least 10.8 trillion USD a year for 12.5 billion hours a day
#: (docs/calibration.md, unpaid care work): the care scenario's shadow price per hour.
CARE_PRICE = round(10.8e12 / (12.5e9 * 365), 2)

#: Why ``dependencies`` fails a ranking finding (docs/guide.md, "How robust are the rankings?").
WHY_DEPENDENCIES = " (it counts what an actor depends on, so it ranks the dependent high: it measures dependence)"

def florentine() -> str:
    net = dp.examples.load("florentine")
    power = dp.power(net)["power"]
    require(power.equals(dp.power(net, paths="hub")["power"]), "florentine", "the hub graph gives the same values")
    top = power.sort_values(ascending=False, kind="stable").head(4)
    require(top.index[0] == "Medici", "florentine", "the Medici lead")
    ordered = dp.power(net, normalized=False)["power"]["Medici"]
    undirected = dp.betweenness(net, directed=False, normalized=False)["betweenness"]["Medici"]
    yes, no, na = verdicts("florentine", "the Medici rank first")
    require(not net.infrastructures.size and not no, "florentine", "the Medici rank first under every measure")
    others = listing(f"the {family} ({fixed(value)})" for family, value in top.iloc[1:].items())
    return "\n".join([
        f"**Finding: a check against a published value, not a discovery.** The Medici lead: normalized "
        f"betweenness **{fixed(top['Medici'])}** ({ordered:g} over ordered pairs; **{undirected:g}** as an "
        f"undirected graph with `--undirected --raw`), ahead of {others}. These are the values that NetworkX's "
        "own `betweenness_centrality` gives on its `florentine_families_graph()` "
        "(`tests/scenarios/test_static_narratives.py` compares them at the precision printed here), and the "
        "Medici's lead is the literature's result: the scenario checks the implementation against a known "
        "answer (an oracle), it does not find anything about Florence. There is no infrastructure, so the "
        "routed and the hub graph are the same graph and give the same values.",
        "",
        "**Under other measures** (`dependencia measures florentine --compare`; docs/guide.md, \"How robust are "
        "the rankings?\"): the Medici rank first " + where("florentine", "the Medici rank first")
        + f". {named(na).capitalize()} give every family the same value here (the marriages are undirected and "
        "pass no infrastructure), so they cannot rank. This part is a computation that could have come out "
        "otherwise: nothing in the definitions makes the family with the highest betweenness lead the other "
        "measures.",
    ])


def care() -> str:
    net = dp.examples.load("care")
    result = dp.rents(net, care_shadow_price=CARE_PRICE)
    deps, actors = net.dependencies, result.actors
    carers = [a for a in net.actors.index if str(a).startswith("carer")]
    sellers = actors.index[actors["income"] > 0].tolist()
    unpaid = deps[deps["channel"] == "care"]
    hours = float(unpaid["strength"].sum())
    share, power = actors.loc[carers, "power_share"], dp.power(net)["power"][carers]
    per_carer = unpaid.groupby("provider").size()
    require(share.nunique() == 1 and per_carer.nunique() == 1 and set(per_carer.index) == set(carers), "care",
            "every carer looks after as many dependants and has the same power share")
    require(bool((actors.loc[carers, "income"] == 0).all()), "care", "carers have no income")
    require(bool((actors.loc[carers, "latent_power"] == share).all()), "care", "latent power = power share")
    require(net.dimensions.loc["care", "monetized"] == 0, "care", "the care dimension is unmonetized")
    dependants = set(unpaid["dependent"])
    require(set(deps.loc[deps["dependent"].isin(dependants), "channel"]) == {"care"}, "care",
            "the dependants reach the sellers only through their carers")
    require(not deps["dependent"].isin(sellers).any() and bool((actors.loc[sellers, "power_share"] == 0).all()),
            "care", "the sellers depend on nobody and have no power")
    frame = panel("care")
    sellers = actors.loc[sellers].sort_values("income", ascending=False, kind="stable").index.tolist()
    shop = sellers[0]
    # asymmetry is left out: an actor that depends on nobody has asymmetry 1 by definition
    leads = [m for m in frame.columns if m != "asymmetry" and frame.loc[shop, m] > frame.loc[carers, m].max()]
    require(bool(leads), "care", "the shop outranks every carer under some measure")
    seller_text = listing(f"the {s}" for s in sellers)
    income_text = listing(fixed(actors.loc[s, "income_share"]) for s in sellers)
    latent_text = listing(fixed(actors.loc[s, "latent_power"]) for s in sellers)
    value = result.totals["unpaid_care_value"]
    yes, no, na = verdicts("care", "every carer has power (> 0)")
    require(no == ["asymmetry"] and bool((frame.loc[carers, "asymmetry"] == 0).all()), "care",
            "every carer has power under every measure but asymmetry, where each has 0")
    return "\n".join([
        "**Findings, and which of them are identities of the model.**",
        "",
        f"- *Every carer has power and no income.* Each of the {len(carers)} carers has power share "
        f"**{fixed(share.iloc[0])}** (normalized power {sig(power.iloc[0])}) and income **0**. The zero income is "
        "an identity: care runs on the `care` channel, which the economy never pays, in a dimension whose "
        "monetized share is 0 (docs/economics.md). The power is computed, but the scenario's design settles it: "
        "the dependants reach the shop and the clinic only through their carer, and every carer looks after "
        f"{per_carer.iloc[0]} dependants and buys from the same {NUMBER_WORDS[len(sellers)]} sellers, so the "
        "shares are equal.",
        f"- *Latent power = power share = {fixed(share.iloc[0])}: an identity.* Latent power is power share minus "
        "income share (docs/model.md#economics); with the income 0 by the rule above it equals the power share "
        "in any network. It restates that care is unpaid; it is not a finding about care.",
        f"- *Those who receive all the money have no power: a rule of the measure.* {seller_text.capitalize()}, "
        f"with income shares {income_text}, depend on nobody, so no shortest path can pass through them: their "
        f"betweenness is 0 whatever the network, and their latent power is minus their income share ({latent_text}).",
        f"- *The unpaid care valued.* With `--care-price {CARE_PRICE}` the day's {hours:g} hours of care are "
        f"valued at **{value:.2f} USD** (`unpaid_care_value`, and `care_value` per carer): price times hours, "
        "an accounting identity. It is reported and moves no money.",
        "",
        "**What could have come out otherwise.** Which reading of power the finding needs: under "
        f"{named(leads)} the {shop} outranks every carer ("
        + "; ".join(f"{NAMES[m]}: the {shop} {sig(frame.loc[shop, m])}, carers at most "
                    f"{sig(frame.loc[carers, m].max())}" for m in leads)
        + "). Measures that credit the chains of dependence ending at a provider give the receiver of the "
        "money the lead that betweenness denies it, so \"money mirrors none of the power\" holds for "
        "power as betweenness, the text's definition, and not for power as accumulated dependence.",
        "",
        "**Under other measures** (`dependencia measures care --compare`): every carer has power under "
        f"{named(yes)}; their asymmetry is 0 (they depend on as many as depend on them), and "
        f"{named(na)} is 0 for everyone (no infrastructure).",
    ])


def openai_board() -> str:
    net = dp.examples.load("openai-board")
    power, frame = dp.power(net), panel("openai-board")
    labels = {a: str(label) for a, label in net.actors["label"].items() if isinstance(label, str)}
    short = {"openai": "the lab", "microsoft": "Microsoft", "ceo": "the CEO", "board": "the board"}
    deps = net.dependencies
    require(not (deps["provider"] == "board").any() and power.loc["board", "power"] == 0, "openai-board",
            "nobody depends on the board, so its betweenness is 0")
    shown = power[(power["power"] > 0) | (power.index == "board")].sort_values("power", ascending=False,
                                                                              kind="stable")
    rows = [f"| {short[a]} | {sig(r.power)} | {fixed(r.power_share)} | "
            f"{listing(short[s] for s in r.formal_authority_over)} |" for a, r in shown.iterrows()]
    zero = [m for m in frame.columns if frame.loc["board", m] == 0 and frame[m].nunique() > 1]  # not 0 for all
    twins = [a for a in frame.index if a != "board"
             and np.allclose(frame.loc[a].to_numpy(float), frame.loc["board"].to_numpy(float), equal_nan=True)]
    staff = [a for a in twins if str(a).startswith("staff")]
    signed_up = set(deps.loc[deps["provider"] == "ceo", "dependent"])
    require(set(staff) == {a for a in net.actors.index if str(a).startswith("staff")} - signed_up, "openai-board",
            "the staff who did not sign are placed like the board")
    twin_text = listing([f"the {labels.get(a, a)}" for a in twins if a not in staff]
                        + [f"each of the {len(staff)} staff who did not sign"])
    edit = dp.edits.remove_dependencies(net, [("ceo", "microsoft", "employment")])
    without = dp.power(edit.network)
    require(without.loc["ceo", "power"] == 0, "openai-board", "without the offer the CEO's power is 0")
    board_providers = deps.loc[deps["dependent"] == "board", "provider"]
    trio, finding = ["board", "ceo", "microsoft"], "the board ranks below the CEO and Microsoft"
    why = {"dominance": " (the board ties with the CEO at 0: no pair of others depends on either alone)",
           "bonacich": " (with Bonacich's negative beta an actor on whom powerful actors depend scores lower, and "
                       "those who depend on Microsoft are themselves powerful)",
           "dependencies": WHY_DEPENDENCIES}
    require(frame.loc["board", "dominance"] == frame.loc["ceo", "dominance"] == 0
            and frame.loc["microsoft", "bonacich"] < frame.loc["board", "bonacich"], "openai-board",
            "the board ties with the CEO in dominance; Microsoft scores below the board in Bonacich")
    ranks = listing(f"{short[a]} {fixed(r.power_share)}" for a, r in shown.iterrows() if r.power > 0)
    return "\n".join([
        "**Finding: the board ranks below the CEO and Microsoft in power while holding the formal authority. "
        "That is a rule of the measure, not a result:**",
        "",
        "| actor | power (normalized) | share | formal authority over |",
        "|---|---|---|---|",
        *rows,
        "",
        f"The board depends on {listing(short.get(p, p) for p in board_providers)}; no dependency in the records "
        f"has the board as its provider (0 of {len(deps)}), so no shortest path between two other actors can "
        "enter it, and its betweenness is 0 by the definition of the measure, whatever authority it holds. "
        "Authority is recorded as a relation that confers no power and no control (docs/model.md#actor-power), "
        f"and no measure reads it. The board's value is 0 under {named(zero)}, and under every measure of the "
        f"panel it equals that of {twin_text}: it is placed like any actor on whom nobody depends. That it ranks "
        "below anyone with power follows from how the scenario encodes the events, not from the computation.",
        "",
        f"**What the computation adds.** Who holds the power instead, and in which order: {ranks} of the "
        "power shares. And what it rests on: without the CEO's dependency on Microsoft's offer "
        f"(`ceo -> microsoft`, employment), the CEO's power would be **{fixed(without.loc['ceo', 'power'])}** "
        "(the staff who signed reach the lab directly), the lab's share "
        f"{fixed(without.loc['openai', 'power_share'])} and Microsoft's "
        f"{fixed(without.loc['microsoft', 'power_share'])}. That one dependency carries the CEO's share: it is the "
        "text's claim that \"the dependencies ran through Altman and Microsoft\", written down as an input. The "
        "scenario shows what follows from that reading of the events, not that the reading is right.",
        "",
        "**Under other measures** (`dependencia measures openai-board --compare`): "
        + "the board ranks below the CEO and Microsoft " + where("openai-board", finding) + ". The values: "
        + details("openai-board", [finding], trio, short, why) + ". No measure reads the formal authority.",
    ])


OWNERS = ["amazon", "microsoft", "google"]
LABS = ["openai", "anthropic", "mistral"]


def _stack(paths: str) -> dict:
    net = dp.examples.load("ai-stack")
    share = dp.power(net, paths=paths)["power_share"]
    actors = dp.rents(net, paths=paths).actors
    return {"share": share, "actors": actors, "owners": float(share[OWNERS].sum()), "labs": float(share[LABS].sum()),
            "latent": actors.loc[OWNERS, "latent_power"], "income": actors.loc[OWNERS, "income_share"]}


def ai_stack() -> str:
    net = dp.examples.load("ai-stack")
    labels = {a: str(label) for a, label in net.actors["label"].items()}
    labels["board"] = "the board"
    routed, hub = _stack("routed"), _stack("hub")
    share = routed["share"]
    owners = sorted(OWNERS, key=lambda a: -share[a])
    labs = sorted(LABS, key=lambda a: -share[a])
    parts = lambda s, group: ", ".join(f"{labels[a]} {fixed(s[a])}" for a in group)  # noqa: E731
    outrank = [a for a in owners if share[a] > share[LABS].max()]
    below = [a for a in owners if a not in outrank]
    deps = net.dependencies
    via = [tuple(r) if isinstance(r, (list, tuple)) else () for r in deps["via"]]
    cloud = {owner: x for x, owner in net.infrastructures["owner"].items()}
    # a cloud's market share is the strength of its customer firm's compute dependency (docs/calibration.md)
    market = {o: max(s for d, r, s in zip(deps["dependent"], via, deps["strength"]) if r == (cloud[o],)
                     and d not in LABS + OWNERS) for o in OWNERS}
    labs_on = {o: {d for d, r in zip(deps["dependent"], via) if d in LABS and cloud[o] in r} for o in OWNERS}
    emerges = routed["owners"] > routed["labs"]
    require(emerges and hub["owners"] > hub["labs"], "ai-stack", "the finding holds on both graphs")
    require(share["openai"] > 0 == hub["share"]["openai"], "ai-stack", "OpenAI's brokerage was hidden on the hub graph")
    gap = "smaller" if routed["owners"] - routed["labs"] < hub["owners"] - hub["labs"] else "larger"
    hub_labs = [a for a in LABS if hub["share"][a] > 0]
    latent = routed["latent"]
    require(latent.sum() < 0 and bool((latent < 0).all()), "ai-stack",
            "the clouds are paid more than their position explains, each of them")
    flipped = [a for a in OWNERS if hub["latent"][a] > 0]
    weakest = below[0] if below else None
    item1 = (f"1. **The cloud owners hold more power than the labs that depend on them: "
             f"{'emerges, in aggregate' if emerges else 'does not emerge'}.** Their power shares add up to "
             f"**{fixed(routed['owners'])}** ({parts(share, owners)}), the labs' to **{fixed(routed['labs'])}** "
             f"({parts(share, labs)}). {listing(labels[a] for a in outrank)} each outrank every lab")
    if weakest is not None:
        above = [lab for lab in labs if share[lab] > share[weakest]]
        item1 += (f"; {labels[weakest]}, with the smallest cloud ({market[weakest]:g}% of the market, its "
                  f"customers' compute strength) and {count(len(labs_on[weakest]), 'lab')} on it, ranks below "
                  f"{listing(labels[lab] for lab in above)}")
    item1 += (f". *Changed from the hub graph* (owners {fixed(hub['owners'])}: {parts(hub['share'], owners)}; "
              f"labs {fixed(hub['labs'])}" + (f", all {labels[hub_labs[0]]}'s" if len(hub_labs) == 1 else
                                              f": {parts(hub['share'], labs)}")
              + "): there the clouds were credited with pairs such as mistral -> openai that no chain of "
              "dependencies joins, and OpenAI's own brokerage (firms that reach Microsoft and Nvidia through its "
              "models) was hidden behind Azure. The finding holds in both; the gap between owners and labs is "
              f"{gap} on the routed graph.")
    income = routed["income"]
    item2 = ("2. **...and more than their revenue share suggests (latent power): does not emerge here.** With "
             "administered prices, their tolls and markups give the cloud owners an income share of "
             f"**{fixed(income.sum())}** ({parts(income, sorted(OWNERS, key=lambda a: -income[a]))}), above their "
             f"power share: combined latent power **{fixed(latent.sum())}**, and negative for each of the three "
             f"({parts(latent, owners)}). ")
    if flipped:
        item2 += (f"*Changed from the hub graph*, where {listing(labels[a] + chr(39) + 's' for a in flipped)} was "
                  f"positive ({', '.join(signed(hub['latent'][a]) for a in flipped)}; combined "
                  f"{fixed(hub['latent'].sum())}): its power there included the pairs its cloud joined without a "
                  "declared chain. ")
    item2 += ("In this network the clouds are paid more than their position between others explains, because each "
              "of them also sells compute at the leader's price to firms that depend on it directly (the "
              "market-share strengths) and collects the tolls on that traffic. Whether this holds for real cloud "
              "revenues is a question for data, not for this toy stack; the tool reports the sign it finds. Both "
              "findings are computations that could have come out otherwise (the hub graph shows one sign "
              "changing); neither is an identity of the model.")
    group = owners + labs
    why = {"dominance": " (who can cut whom off: the clouds sit on many paths but, with three of them, few pairs "
                        "depend on any one alone)", "dependencies": WHY_DEPENDENCIES}
    aggregate, each = "the cloud owners hold more than the labs (summed)", "Amazon and Microsoft each outrank every lab"
    return "\n".join([
        item1, item2, "",
        "**Under other measures** (`dependencia measures ai-stack --compare`; docs/guide.md, \"How robust are the "
        "rankings?\"): "
        + f"finding 1 holds in aggregate {where('ai-stack', aggregate)}, and \"{each}\" {where('ai-stack', each)}. "
        + "The values: " + details("ai-stack", [aggregate, each], group, labels, why) + ".",
    ])


RENDERERS: dict[str, Callable[[], str]] = {"florentine": florentine, "care": care, "openai-board": openai_board,
                                           "ai-stack": ai_stack}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=f"one of {', '.join(RENDERERS)}")
    chosen = parser.parse_args().scenarios or list(RENDERERS)
    unknown = [name for name in chosen if name not in RENDERERS]
    if unknown:
        parser.error(f"unknown static scenario {unknown[0]!r}; choose from {', '.join(RENDERERS)}")
    for name in chosen:
        print(f"## {name}\n\n{wrap(RENDERERS[name]())}\n")


if __name__ == "__main__":
    main()
