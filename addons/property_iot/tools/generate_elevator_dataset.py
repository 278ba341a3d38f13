"""Generate the simulated elevator fault data set shipped in data/elevator_failure_dataset.csv.gz.

Deterministic (fixed seed): running it again gives the same file.

    python tools/generate_elevator_dataset.py [--out data/elevator_failure_dataset.csv.gz]

The simulation, per elevator and day over two years:

- each elevator has an age (1–25 years), a typical daily door-cycle load (log-normal around
  350 cycles) and a preventive-maintenance interval (30 to 120 days);
- wear grows with the days since the last maintenance and with age;
- a *degradation episode* starts with a probability that grows with wear, load and recent
  faults (logistic in those); during the 3–12 days of an episode the vibration and the motor
  temperature drift up, and the episode ends in a fault with probability 0.8 (or is fixed by
  a preventive visit in time);
- besides, 0.2 % of days bring a random fault nobody could predict;
- a fault is followed by a corrective repair (70 %) that resets wear;
- sensors are noisy: vibration (mm/s RMS) and motor temperature (°C) carry Gaussian noise.

Every 7 days a snapshot row gives the features an operator can compute from telemetry and the
maintenance history *at that day*, and the label: a fault in the next 7 days.
"""

import argparse
import csv
import gzip
import io
import math
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

# the model's features and label are the data set's columns: one definition, in the model
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "services"))
from failure_model import FEATURES, LABEL

SEED = 20261125
ELEVATORS = 120
DAYS = 730
START = date(2024, 1, 1)
COLUMNS = ["elevator", "day", "date", *FEATURES, LABEL]


def simulate_elevator(rng, elevator):
    age = rng.uniform(1, 25)
    base_cycles = rng.lognormal(math.log(350), 0.4)
    interval = int(rng.choice([30, 45, 60, 90, 120]))
    last_maintenance = -int(rng.integers(0, interval))
    degrading = total = 0
    cycles, vibration, temperature, faults, dsm = [], [], [], [], []
    for day in range(DAYS):
        days_since = day - last_maintenance
        weekend = (START + timedelta(day)).weekday() >= 5
        n = rng.poisson(base_cycles * (0.8 if weekend else 1.0))
        wear = days_since / 90.0 + age / 25.0
        recent = sum(faults[-30:])
        if not degrading:
            logit = -6.0 + 1.3 * wear + 0.8 * (n / 350.0 - 1.0) + 0.5 * recent
            if rng.random() < 1 / (1 + math.exp(-logit)):
                degrading = total = int(rng.integers(3, 13))
        progress = (total - degrading + 1) / total if degrading else 0.0
        vibration.append(0.6 + 0.15 * wear + 0.9 * progress + rng.normal(0, 0.12))
        temperature.append(42 + 4 * n / 400.0 + 2 * wear + 4 * progress + rng.normal(0, 1.8))
        cycles.append(n)
        dsm.append(days_since)
        fault = rng.random() < 0.002
        if degrading:
            degrading -= 1
            if not degrading and rng.random() < 0.8:
                fault = True
        faults.append(1 if fault else 0)
        if fault and rng.random() < 0.7:
            last_maintenance = day
            degrading = 0
        elif day - last_maintenance >= interval:
            last_maintenance = day
            if degrading and rng.random() < 0.6:
                degrading = 0
    rows = []
    for day in range(30, DAYS - 7, 7):
        rows.append(
            {
                "elevator": f"EL{elevator:03d}",
                "day": day,
                "date": (START + timedelta(day)).isoformat(),
                "door_cycles_7d": int(sum(cycles[day - 7 : day])),
                "fault_count_30d": int(sum(faults[day - 30 : day])),
                "days_since_maintenance": dsm[day - 1],
                "vibration_mean_7d": round(float(np.mean(vibration[day - 7 : day])), 4),
                "vibration_max_7d": round(float(np.max(vibration[day - 7 : day])), 4),
                "motor_temp_mean_7d": round(float(np.mean(temperature[day - 7 : day])), 3),
                "age_years": round(age, 2),
                LABEL: int(any(faults[day : day + 7])),
            }
        )
    return rows


def generate():
    rng = np.random.default_rng(SEED)
    rows = []
    for elevator in range(1, ELEVATORS + 1):
        rows.extend(simulate_elevator(rng, elevator))
    return rows


def main():
    default = Path(__file__).resolve().parent.parent / "data" / "elevator_failure_dataset.csv.gz"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(default))
    args = parser.parse_args()
    rows = generate()
    # mtime=0: the compressed file is byte-identical from one run to the next
    with (
        open(args.out, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz,
        io.TextIOWrapper(gz, encoding="utf-8", newline="") as f,
    ):
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
