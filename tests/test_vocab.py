"""The parser vocabulary (parsers/templates/*.yaml) goes through one checked loader (issue 14):
every file the parser reads has a schema entry, and a broken entry fails with one line naming
the file and the key instead of a KeyError or re.error inside a table reader."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from parsers import vocab
from parsers.kinds import classify_title
from parsers.vocab import VocabularyError, load_template, validate

YAML_FILES = sorted(p.name for p in vocab.TEMPLATES.glob("*.yaml") if p.name != vocab.SCHEMA)


@pytest.mark.parametrize("name", YAML_FILES)
def test_every_vocabulary_file_has_a_schema_and_passes_it(name: str) -> None:
    data = load_template(name)
    assert set(vocab._schema()) >= {name}
    top = {path.split(".")[0].rstrip("?[]{}") for path in vocab._schema()[name]}
    assert top == set(data), f"{name}: keys without a schema entry or schema entries without a key"


def test_a_bad_pattern_names_the_file_and_the_key() -> None:
    data = {"kinds": [{"kind": "a", "title": "收支"}, {"kind": "b", "title": "支出("}]}
    with pytest.raises(VocabularyError, match=re.escape("t.yaml: key 'kinds[1].title': not a regular expression")):
        validate(data, {"kinds[].kind": "str", "kinds[].title": "regex"}, Path("t.yaml"))


def test_a_missing_key_and_a_wrong_type_are_named() -> None:
    schema = {"staffing.counts{}": "regex", "three_public.max_gap": "int", "kinds[].not?": "regex"}
    ok = {"staffing": {"counts": {"actual": r"实有(\d+)"}}, "three_public": {"max_gap": 32}, "kinds": [{}]}
    validate(ok, schema, Path("n.yaml"))  # an optional key may be absent
    with pytest.raises(VocabularyError, match=re.escape("n.yaml: key 'three_public.max_gap' is missing")):
        validate({**ok, "three_public": {}}, schema, Path("n.yaml"))
    with pytest.raises(VocabularyError, match=re.escape("n.yaml: key 'staffing.counts.actual': expected regex, got list")):
        validate({**ok, "staffing": {"counts": {"actual": ["x"]}}}, schema, Path("n.yaml"))
    with pytest.raises(VocabularyError, match=re.escape("n.yaml: key 'three_public.max_gap': expected int, got bool")):
        validate({**ok, "three_public": {"max_gap": True}}, schema, Path("n.yaml"))
    with pytest.raises(VocabularyError, match=re.escape("n.yaml: key 'staffing.counts': expected a mapping, got str")):
        validate({**ok, "staffing": {"counts": "x"}}, schema, Path("n.yaml"))


def test_a_broken_file_fails_at_load_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for p in vocab.TEMPLATES.glob("*.yaml"):
        shutil.copy(p, tmp_path / p.name)
    text = (tmp_path / "layout.yaml").read_text(encoding="utf-8")
    (tmp_path / "layout.yaml").write_text(text.replace("prose_punctuation: '[，。；《》]'", "prose_punctuation: '[，。；《》'"),
                                          encoding="utf-8")
    (tmp_path / "meta.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(vocab, "TEMPLATES", tmp_path)
    vocab.load_template.cache_clear()
    vocab._schema.cache_clear()
    try:
        with pytest.raises(VocabularyError) as e:
            load_template("layout.yaml")
        assert str(e.value).startswith(f"{tmp_path / 'layout.yaml'}: key 'prose_punctuation': not a regular expression")
        assert "\n" not in str(e.value)
        with pytest.raises(VocabularyError, match=r"meta\.yaml: ParserError: while parsing a flow sequence$"):
            load_template("meta.yaml")
        (tmp_path / "extra.yaml").write_text("a: 1\n", encoding="utf-8")
        with pytest.raises(VocabularyError, match=r"extra\.yaml: no entry in .*schema\.yaml"):
            load_template("extra.yaml")
    finally:
        vocab.load_template.cache_clear()
        vocab._schema.cache_clear()
        vocab.pattern.cache_clear()


def test_titles_are_classified_from_the_layout_vocabulary() -> None:
    assert classify_title("表3 2025年部门支出总表")["kind"] == "expenditure_by_function"
    assert classify_title("2025年部门收支总表........3") is None  # a contents line
    assert classify_title("详见附表：一般公共预算支出表") is None  # prose citing a table
    assert classify_title("部门预算表") is None  # names only the report
