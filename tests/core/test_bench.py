"""`make bench`'s own arithmetic: each page's ratio to the bare SQL for the same rows, and the medians
both come from."""

import bench.__main__ as bench


def test_the_ratio_of_a_page_to_its_bare_sql():
    assert bench.ratio(32.0, 4.0) == 8.0
    assert bench.ratio(10.0, 3.0) == 3.3  # one decimal place
    assert bench.ratio(5.0, 0) is None  # nothing to divide by: no ratio, not infinity


def test_the_median_leaves_out_the_warm_up_runs():
    costs = iter([1.0, 1.0, 1.0, 0.010, 0.020, 0.030])  # three slow warm-up calls, then 10, 20, 30 ms

    def job():
        import time

        time.sleep(next(costs))

    median = bench._median_ms(job, runs=3)
    assert 19 <= median < 40


def test_a_row_gets_its_bare_time_and_ratio():
    import time

    row = bench._with_bare({"median_ms": 50.0}, lambda: time.sleep(0.005), runs=3)  # about 5 ms of bare SQL
    assert 5 <= row["bare_ms"] < 15 and 3.0 < row["ratio"] <= 10.0
    assert "bare_ms" not in bench._with_bare({"median_ms": 12.0}, None, runs=3)


def test_the_least_a_page_could_cost_is_its_bare_sql_on_the_floor(monkeypatch):
    assert bench.least_ms(0.4, 4.1) == 4.5
    assert bench.least_ms(0.4, None) is None  # the floor not timed yet
    monkeypatch.setitem(bench._FLOOR, "ms", 4.0)
    row = bench._with_bare({"median_ms": 18.0}, lambda: None, runs=3)
    assert row["least_ms"] == round(row["bare_ms"] + 4.0, 2)
    assert 4.0 < row["over_least"] <= 4.5  # 18 ms against about 4 ms
