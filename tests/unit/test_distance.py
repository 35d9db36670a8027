from app.domain.distance import miles_between, nearest_first


def test_leeds_to_bradford_is_about_nine_miles():
    assert 8.5 < miles_between(53.7965, -1.5479, 53.7938, -1.7564) < 9.0


def test_nearest_first_keeps_only_what_lies_within_the_radius_and_skips_unplaced_items():
    origin = (53.80, -1.55)
    places = {"near": (53.801, -1.55), "far": (53.90, -1.55), "middle": (53.82, -1.55), "nowhere": None}
    found = nearest_first(places, origin, 5, places.get)
    assert [name for _, name in found] == ["near", "middle"]
