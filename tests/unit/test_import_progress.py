"""The import's progress bar advances one step per pipeline stage."""

from dashboard.cli.import_cmd import STAGES, _stage_done


def test_each_stage_the_pipeline_names_moves_the_bar_forward():
    said = ["reading", "validating", "writing", "refreshing H3 rollups"]
    assert [_stage_done(what) for what in said] == [0, 1, 2, 3]
    assert len(STAGES) == 4
    assert _stage_done("something else") == 0
