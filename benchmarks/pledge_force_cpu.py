"""The force Pledge page's CPU time over many requests (min, first quartile, median), for
comparing two trees on a loaded machine: run it alternately in each, on a database built by
benchmarks/pledge_pages.py. gc.freeze() after create_app, as deploy/gunicorn.conf.py does.

    DATABASE_URL=sqlite:////tmp/pledge4/pledge.db BENCH_REQUESTS=15 python benchmarks/pledge_force_cpu.py
"""
import gc
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pledge_pages import BenchConfig, create_app  # noqa: E402

URL = os.environ.get("BENCH_URL", "/forces/west-yorkshire/performance")


def main():
    app = create_app(BenchConfig)
    gc.freeze()
    client = app.test_client()
    assert client.get(URL).status_code == 200  # warm: templates compiled, connection open
    used = []
    for _ in range(int(os.environ.get("BENCH_REQUESTS", 15))):
        started = time.process_time()
        assert client.get(URL).status_code == 200
        used.append(1000 * (time.process_time() - started))
    used.sort()
    print(f"{URL}: CPU min {used[0]:.0f} p25 {used[len(used) // 4]:.0f} median {statistics.median(used):.0f} ms "
          f"over {len(used)} requests (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
