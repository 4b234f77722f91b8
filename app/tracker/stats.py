"""Percentages with 95% confidence intervals (Wilson score), and small-number suppression."""
import math
from dataclasses import dataclass

from scipy.stats import norm

Z_95 = float(norm.ppf(0.975))  # 1.959963...


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion, as fractions (0 to 1).

    Chosen over the simple "p +/- 1.96 standard errors" because it stays inside 0 to 1 and is
    reliable for small wards and groups and for percentages near 0 or 100."""
    if n <= 0:
        raise ValueError("n must be positive")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Estimate:
    """The percentage agreeing among `base` answers. When `base` is under the small-number
    threshold nothing but the fact is shown: percent, interval and counts are None."""
    base: int | None
    agree: int | None
    percent: float | None
    low: float | None
    high: float | None
    suppressed: bool = False

    @property
    def empty(self) -> bool:
        return self.base == 0


def estimate(agree: int, base: int, threshold: int) -> Estimate:
    if base == 0:
        return Estimate(0, 0, None, None, None)
    if base < threshold:
        return Estimate(None, None, None, None, None, suppressed=True)
    low, high = wilson_interval(agree, base)
    return Estimate(base, agree, 100 * agree / base, 100 * low, 100 * high)
