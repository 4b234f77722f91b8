"""Opinion groups at scale: 10,000 voters x 200 statements with planted groups.

Prints the time to find the groups (PCA + k-means, k chosen by silhouette) and how well the
planted groups were recovered (adjusted Rand index, 1.0 = exactly). The target is under 10 s.

    .venv/bin/python bench/opinion_groups.py [--voters 10000] [--statements 200] [--groups 3]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from nlp.opinion import OpinionGroups, consensus_statements, planted_votes, representative_statements  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--vote-rate", type=float, default=0.3, help="share of statements each voter sees")
    parser.add_argument("--noise", type=float, default=0.2, help="chance a vote goes against the voter's group")
    args = parser.parse_args()

    X, truth = planted_votes(args.voters, args.statements, args.groups, vote_rate=args.vote_rate,
                             noise=args.noise, seed=7, shared=10)
    started = time.perf_counter()
    model = OpinionGroups().fit(X)
    grouped = time.perf_counter() - started
    repness = representative_statements(X, model.labels_, model.n_groups_)
    consensus = consensus_statements(X, model.labels_, model.n_groups_)
    total = time.perf_counter() - started
    placed = model.included_
    ari = adjusted_rand_score(truth[placed], model.labels_[placed])
    print(f"voters {args.voters}, statements {args.statements}, planted groups {args.groups}, "
          f"vote rate {args.vote_rate}, noise {args.noise}")
    print(f"placed {int(placed.sum())} voters (>= {model.min_votes} votes) in {model.n_groups_} groups "
          f"(silhouette {model.silhouette_:.3f}; by k: "
          + ", ".join(f"{k}={v:.3f}" for k, v in model.scores_.items()) + ")")
    print(f"groups found in {grouped:.2f} s; with representative and consensus statements {total:.2f} s "
          f"(target < 10 s)")
    print(f"adjusted Rand index against the planted groups: {ari:.3f}")
    print(f"representative statements per group: {[len(r) for r in repness]}; consensus statements: "
          f"{len(consensus)} (10 planted)")


if __name__ == "__main__":
    main()
