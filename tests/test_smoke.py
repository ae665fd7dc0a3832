def test_buyin_checks_clean(ptgraph, repo_root):
    run = ptgraph("check", repo_root / "theory")
    assert run.code == 0, run
    assert run.out == ""
