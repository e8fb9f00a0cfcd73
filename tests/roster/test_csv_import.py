"""The roster CSV parser: files as teachers' spreadsheets and school systems write them."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conferbook.roster.csv_import import (
    ImportFileError,
    ImportPreview,
    ImportRow,
    normalise_grade,
    parse_roster,
)

SIMPLE = "First name,Last name,Grade,Student ID\nMaya,Lopez,3,S100\nTheo,Park,3,S101\n"

ONEROSTER_HEADER = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
)


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def names(preview: ImportPreview) -> list[tuple[str, str]]:
    return [(row.first_name, row.last_name) for row in preview.rows]


def only_row(preview: ImportPreview) -> ImportRow:
    assert len(preview.rows) == 1, preview.rows
    return preview.rows[0]


def file_error(data: bytes) -> str:
    with pytest.raises(ImportFileError) as caught:
        parse_roster(data)
    return str(caught.value)


# Decoding


def test_it_reads_a_simple_roster() -> None:
    preview = parse_roster(csv_bytes(SIMPLE))

    assert names(preview) == [("Maya", "Lopez"), ("Theo", "Park")]
    assert preview.rows[0] == ImportRow(
        line=2,
        first_name="Maya",
        last_name="Lopez",
        preferred_name="",
        grade="3",
        school_id="S100",
        errors=(),
    )
    assert preview.columns == {
        "first_name": "First name",
        "last_name": "Last name",
        "grade": "Grade",
        "school_id": "Student ID",
    }
    assert preview.format == "Simple roster (comma-separated)"
    assert preview.importable == list(preview.rows)


def test_it_reads_excel_csv_utf8_with_a_byte_order_mark() -> None:
    data = codecs.BOM_UTF8 + "First name,Last name\nZoë,Brontë\n".encode()

    preview = parse_roster(data)

    assert preview.columns["first_name"] == "First name"
    assert names(preview) == [("Zoë", "Brontë")]


def test_it_keeps_names_from_many_languages_in_utf8() -> None:
    text = (
        "First name,Last name\nThị Thu,Nguyễn\nŁukasz,Wróbel\nSøren,Kierkegård\n"
        "José,Ibáñez\nZoë,O\u2019Neill\n"
    )

    preview = parse_roster(csv_bytes(text))

    assert names(preview) == [
        ("Thị Thu", "Nguyễn"),
        ("Łukasz", "Wróbel"),
        ("Søren", "Kierkegård"),
        ("José", "Ibáñez"),
        ("Zoë", "O\u2019Neill"),
    ]


def test_it_falls_back_to_windows_1252_for_old_excel_exports() -> None:
    # 0x92 is a curly apostrophe in Windows-1252 and not valid UTF-8 on its own.
    data = csv_bytes("First name;Last name\nJosé;O\u2019Brien\nZoë;Müller\n", "cp1252")

    preview = parse_roster(data)

    assert names(preview) == [("José", "O\u2019Brien"), ("Zoë", "Müller")]


def test_it_falls_back_to_latin_1_for_bytes_windows_1252_lacks() -> None:
    # 0x81 is undefined in Windows-1252; Latin-1 still reads the rest of the name.
    data = b"First name,Last name\nS\xf8ren,Hansen\x81\n"

    preview = parse_roster(data)

    assert preview.rows[0].first_name == "Søren"


def test_it_reads_excel_unicode_text_in_utf16() -> None:
    data = "First name\tLast name\tGrade\nSøren\tŁukasiewicz\t4\n".encode("utf-16")

    preview = parse_roster(data)

    assert names(preview) == [("Søren", "Łukasiewicz")]
    assert preview.format == "Simple roster (tab-separated)"


def test_it_reports_a_broken_character_in_a_utf8_file_with_a_byte_order_mark() -> None:
    data = codecs.BOM_UTF8 + b"First name,Last name\nJos\xe9,Ruiz\nAna,Ruiz\n"

    preview = parse_roster(data)

    assert "could not be read" in preview.rows[0].errors[0]
    assert preview.rows[0].errors[0].startswith("Line 2: the first name")
    assert [row.first_name for row in preview.importable] == ["Ana"]


def test_it_joins_accents_typed_on_a_mac_so_duplicates_are_found() -> None:
    decomposed = unicodedata.normalize("NFD", "Zoë")
    text = f"First name,Last name\nZoë,Lee\n{decomposed},Lee\n"

    preview = parse_roster(csv_bytes(text))

    assert preview.rows[1].first_name == "Zoë"
    assert preview.rows[1].duplicate_of == "same student as line 2"


# Delimiters


@pytest.mark.parametrize(
    ("delimiter", "word"),
    [(",", "comma-separated"), (";", "semicolon-separated"), ("\t", "tab-separated")],
)
def test_it_detects_the_delimiter(delimiter: str, word: str) -> None:
    text = delimiter.join(["Last name", "First name", "Grade"]) + "\n"
    text += delimiter.join(["Lopez", "Maya", "2"]) + "\n"

    preview = parse_roster(csv_bytes(text))

    assert names(preview) == [("Maya", "Lopez")]
    assert preview.rows[0].grade == "2"
    assert preview.format == f"Simple roster ({word})"


def test_it_counts_delimiters_in_the_header_not_in_names_with_commas() -> None:
    # European Excel: semicolons between cells, a comma inside a name.
    text = "Name;Grade\nLopez, Maya Rose;3\nPark, Theo;3\nKim, Jae, Jr.;4\n"

    preview = parse_roster(csv_bytes(text))

    assert preview.format == "Simple roster (semicolon-separated)"
    assert names(preview) == [("Maya Rose", "Lopez"), ("Theo", "Park"), ("Jae, Jr.", "Kim")]


def test_it_ignores_delimiters_inside_quotes_in_the_header() -> None:
    text = '"Name (Last, First)";Grade\n"Lopez, Maya";3\n'

    preview = parse_roster(csv_bytes(text))

    assert preview.format == "Simple roster (semicolon-separated)"
    assert names(preview) == [("Maya", "Lopez")]


def test_it_reads_unnamed_extra_cells_under_a_one_column_header() -> None:
    preview = parse_roster(csv_bytes("First name\nMaya,3\nTheo,4\n"))

    assert [row.first_name for row in preview.rows] == ["Maya", "Theo"]


def test_it_keeps_an_unquoted_comma_in_a_one_column_file() -> None:
    preview = parse_roster(csv_bytes("Student name\nLopez, Maya\nTheo Park\n"))

    assert names(preview) == [("Maya", "Lopez"), ("Theo", "Park")]
    assert preview.format == "Simple roster (one column)"


# Headers


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("First Name", "first_name"),
        ("first", "first_name"),
        ("Given name", "first_name"),
        ("givenName", "first_name"),
        ("Forename", "first_name"),
        ("Student First Name", "first_name"),
        ("FIRST_NAME", "first_name"),
        ("first-name*", "first_name"),
        ("Last Name", "last_name"),
        ("last", "last_name"),
        ("Surname", "last_name"),
        ("Family name", "last_name"),
        ("familyName", "last_name"),
        ("Preferred name", "preferred_name"),
        ("Nickname", "preferred_name"),
        ("Preferred First Name", "preferred_name"),
        ("Goes by", "preferred_name"),
        ("Preferred name (optional)", "preferred_name"),
        ("Grade", "grade"),
        ("Grade Level", "grade"),
        ("grades", "grade"),
        ("Year", "grade"),
        ("ID", "school_id"),
        ("Student ID", "school_id"),
        ("School ID", "school_id"),
        ("Student Number", "school_id"),
        ("Student #", "school_id"),
        ("SIS ID", "school_id"),
        ("identifier", "school_id"),
        ("sourcedId", "school_id"),
        ("Local ID", "school_id"),
    ],
)
def test_it_recognises_common_header_names(header: str, field: str) -> None:
    first = "Name" if field != "first_name" else header
    columns = [first] if field == "first_name" else [first, header]
    text = (
        ",".join(f'"{c}"' for c in columns) + "\n" + ",".join(["Maya Lopez", "K"][: len(columns)])
    )

    preview = parse_roster(csv_bytes(text + "\n"))

    assert preview.columns[field] == header


def test_it_reads_columns_in_any_order() -> None:
    text = (
        "grade level , STUDENT ID,Preferred Name,surname,Given Name\n1st,0042,Mo,Haddad,Mohammed\n"
    )

    row = only_row(parse_roster(csv_bytes(text)))

    assert (row.first_name, row.last_name, row.preferred_name) == ("Mohammed", "Haddad", "Mo")
    assert (row.grade, row.school_id) == ("1", "0042")


@pytest.mark.parametrize(
    ("whole", "first", "last"),
    [
        ("Lopez, Maya", "Maya", "Lopez"),
        ("Lopez,Maya Rose", "Maya Rose", "Lopez"),
        ("Maya Lopez", "Maya", "Lopez"),
        ("Maya Rose  Lopez", "Maya Rose", "Lopez"),
        ("Cher", "Cher", ""),
    ],
)
def test_it_splits_a_single_name_column(whole: str, first: str, last: str) -> None:
    preview = parse_roster(csv_bytes(f'Full name,Grade\n"{whole}",5\n'))

    assert names(preview) == [(first, last)]
    assert preview.columns == {"full_name": "Full name", "grade": "Grade"}
    assert any("split" in note for note in preview.notes)


def test_it_reads_name_as_the_first_name_next_to_a_surname_column() -> None:
    preview = parse_roster(csv_bytes("Name,Surname\nMaya Rose,Lopez\n"))

    assert names(preview) == [("Maya Rose", "Lopez")]
    assert preview.columns == {"first_name": "Name", "last_name": "Surname"}


def test_it_prefers_separate_name_columns_to_a_whole_name_column() -> None:
    text = 'Student Name,First Name,Last Name\n"Lopez, Maya",Maya,Lopez\n'

    preview = parse_roster(csv_bytes(text))

    assert names(preview) == [("Maya", "Lopez")]
    assert "full_name" not in preview.columns
    assert preview.ignored_columns == ("Student Name",)


def test_it_prefers_the_students_own_id_to_the_schools_id() -> None:
    # A Clever export: School_id is the school's number, the same on every row.
    text = "School_id,Student_id,First_name,Last_name\n7,S100,Maya,Lopez\n7,S101,Theo,Park\n"

    preview = parse_roster(csv_bytes(text))

    assert preview.columns["school_id"] == "Student_id"
    assert [row.school_id for row in preview.rows] == ["S100", "S101"]
    assert len(preview.importable) == 2


def test_it_uses_sourced_id_only_without_a_better_id() -> None:
    text = "sourcedId,First name,Local ID\nabc-1,Maya,L-7\n"

    preview = parse_roster(csv_bytes(text))

    assert preview.columns["school_id"] == "Local ID"
    assert preview.rows[0].school_id == "L-7"


def test_it_leaves_out_a_title_row_above_the_header() -> None:
    text = "Room 12 class list\nFirst name,Last name\nMaya,Lopez\n"

    preview = parse_roster(csv_bytes(text))

    assert names(preview) == [("Maya", "Lopez")]
    assert preview.rows[0].line == 3
    assert "Line 1 is above the column names and was left out." in preview.notes


def test_it_refuses_a_file_without_a_header_row() -> None:
    message = file_error(csv_bytes("Maya,Lopez,3\nTheo,Park,3\n"))

    assert "first row of the file must name the columns" in message
    assert "“First name, Last name, Grade”" in message
    assert "Maya, Lopez, 3" in message


def test_it_lists_the_headers_found_when_no_first_name_column() -> None:
    message = file_error(csv_bytes("Kid,Surname,Grade\nMaya,Lopez,3\n"))

    assert "could not find a column of first names" in message
    assert "“Kid”, “Surname”, “Grade”" in message
    assert "“First name”" in message
    assert "“Last name”" in message


# OneRoster


def oneroster_row(
    sourced_id: str,
    role: str,
    given: str,
    family: str,
    identifier: str,
    grades: str,
    status: str = "",
) -> str:
    cells = [sourced_id, status, "2024-08-20T10:00:00.000Z", "true", "org-1", role]
    cells += [f"{given.lower()}.{family.lower()}", "", given, family, "", identifier]
    cells += ["", "", "", "", grades, ""]
    return ",".join(cells)


def test_it_imports_only_students_from_a_oneroster_users_file() -> None:
    lines = [
        ONEROSTER_HEADER,
        oneroster_row("u-1", "teacher", "Ana", "Rivera", "T1", ""),
        oneroster_row("u-2", "student", "Maya", "Lopez", "S100", "03"),
        oneroster_row("u-3", "Student", "Theo", "Park", "", "KG"),
        oneroster_row("u-4", "parent", "Rosa", "Lopez", "", ""),
        oneroster_row("u-5", "aide", "Sam", "Ito", "", ""),
    ]

    preview = parse_roster(csv_bytes("\n".join(lines) + "\n"))

    assert preview.format == "OneRoster users.csv"
    assert names(preview) == [("Maya", "Lopez"), ("Theo", "Park")]
    assert [row.line for row in preview.rows] == [3, 4]
    assert [row.grade for row in preview.rows] == ["3", "K"]
    # No identifier for Theo: the sourcedId stands in.
    assert [row.school_id for row in preview.rows] == ["S100", "u-3"]
    assert preview.skipped == 3
    assert "3 rows were not students (OneRoster role) and were left out." in preview.notes
    assert preview.columns == {
        "first_name": "givenName",
        "last_name": "familyName",
        "grade": "grades",
        "school_id": "identifier",
    }


def test_it_leaves_out_oneroster_rows_marked_to_be_deleted() -> None:
    lines = [
        ONEROSTER_HEADER,
        oneroster_row("u-2", "student", "Maya", "Lopez", "S100", "03"),
        oneroster_row("u-3", "student", "Theo", "Park", "S101", "03", status="tobedeleted"),
    ]

    preview = parse_roster(csv_bytes("\n".join(lines)))

    assert names(preview) == [("Maya", "Lopez")]
    assert preview.skipped == 1


@pytest.mark.parametrize("column", ["preferredFirstName", "preferredGivenName"])
def test_it_reads_oneroster_1_2_preferred_names(column: str) -> None:
    # OneRoster 1.2 moved roles to roles.csv, so users.csv has no role column.
    header = (
        "sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName,"
        f"identifier,grades,{column}"
    )
    text = f"{header}\nu-1,,,true,maya.lopez,Maya,Lopez,S100,05,Mia\n"

    preview = parse_roster(csv_bytes(text))

    row = only_row(preview)
    assert (row.first_name, row.preferred_name, row.grade) == ("Maya", "Mia", "5")
    assert preview.format == "OneRoster users.csv"
    assert any("no role column" in note for note in preview.notes)


# Rows


def test_it_reports_a_missing_first_name_with_the_line_a_teacher_sees() -> None:
    text = "First name,Last name,Grade\nMaya,Lopez,3\n\n,,\nTheo,Park,3\n\n,Kim,4\n"

    preview = parse_roster(csv_bytes(text))

    assert [row.line for row in preview.rows] == [2, 5, 7]
    assert preview.rows[2].errors == ("Line 7: the first name is missing.",)
    assert [row.first_name for row in preview.importable] == ["Maya", "Theo"]


def test_it_skips_empty_rows_excel_writes_at_the_end() -> None:
    text = "First name,Last name\r\nMaya,Lopez\r\n,\r\n , \r\n\r\n"

    preview = parse_roster(csv_bytes(text))

    assert names(preview) == [("Maya", "Lopez")]


@pytest.mark.parametrize(
    ("written", "grade"),
    [
        ("K", "K"),
        ("k", "K"),
        ("KG", "K"),
        ("Kindergarten", "K"),
        ("00", "K"),
        ("0", "K"),
        ("1st", "1"),
        ("01", "1"),
        ("Grade 3", "3"),
        ("3", "3"),
        ("3rd grade", "3"),
        ("12th", "12"),
        ("PK", "PK"),
        ("Pre-K", "PK"),
        ("TK", "TK"),
        ("", ""),
    ],
)
def test_it_normalises_grades(written: str, grade: str) -> None:
    row = only_row(parse_roster(csv_bytes(f"First name,Grade\nMaya,{written}\n")))

    assert row.grade == grade
    assert row.errors == ()


@pytest.mark.parametrize(
    "written", ["13", "-1", "3.5", "Grade 14", "senior", "3-4", "Grade", "1 2"]
)
def test_it_refuses_grades_that_are_not_school_grades(written: str) -> None:
    assert normalise_grade(written) is None


def test_it_explains_a_wrong_grade_in_plain_words() -> None:
    text = "First name,Grade\nMaya,3\nTheo,4\nAna,13\n"

    preview = parse_roster(csv_bytes(text))

    assert preview.rows[2].errors == ("Line 4: grade “13” is not a school grade (use K or 1-12).",)
    assert len(preview.importable) == 2


def test_it_trims_spaces_and_zero_width_characters() -> None:
    text = "First name,Last name,Student ID\n  \u200bMaya\ufeff ,\u00a0Lopez  , S100 \n"

    row = only_row(parse_roster(csv_bytes(text)))

    assert (row.first_name, row.last_name, row.school_id) == ("Maya", "Lopez", "S100")


def test_it_refuses_names_over_100_characters() -> None:
    long_name = "A" * 101
    text = f"First name,Last name\n{'B' * 100},Lopez\nMaya,{long_name}\n"

    preview = parse_roster(csv_bytes(text))

    assert preview.rows[0].errors == ()
    assert preview.rows[1].errors == ("Line 3: the last name is longer than 100 characters.",)


def test_it_refuses_a_school_id_too_long_to_store() -> None:
    row = only_row(parse_roster(csv_bytes(f"First name,Student ID\nMaya,{'9' * 65}\n")))

    assert row.errors == ("Line 2: the school ID is longer than 64 characters.",)


def test_it_flags_a_name_swallowed_by_a_stray_quote() -> None:
    text = 'First name,Last name\nMaya,"Lopez\nTheo,Park\nAna,Ruiz\n'

    preview = parse_roster(csv_bytes(text))

    assert "stray quotation mark" in only_row(preview).errors[0]
    assert preview.importable == []


def test_it_refuses_a_first_name_without_letters() -> None:
    preview = parse_roster(csv_bytes("Name,Grade\n???,3\n"))

    assert only_row(preview).errors == ("Line 2: the first name “???” has no letters in it.",)


def test_it_refuses_control_characters_in_names() -> None:
    row = only_row(parse_roster(csv_bytes("First name,Last name\nMa\x07ya,Lopez\n")))

    assert row.errors == ("Line 2: the first name contains an invisible control character.",)


def test_it_keeps_values_that_look_like_spreadsheet_formulas_as_text() -> None:
    text = (
        "First name,Last name,Student ID\n"
        '"=HYPERLINK(""http://example.com"",""x"")",Lopez,=1+1\n'
        "+Maya,@SUM(A1),-2+3\n"
    )

    preview = parse_roster(csv_bytes(text))

    assert preview.rows[0].first_name == '=HYPERLINK("http://example.com","x")'
    assert preview.rows[0].school_id == "=1+1"
    assert (preview.rows[1].first_name, preview.rows[1].last_name) == ("+Maya", "@SUM(A1)")
    assert preview.rows[1].school_id == "-2+3"


# Duplicates


def test_it_marks_a_repeated_name_as_a_duplicate_of_the_earlier_line() -> None:
    text = "First name,Last name\nMaya,Lopez\nTheo,Park\nmaya,LOPEZ\n"

    preview = parse_roster(csv_bytes(text))

    assert preview.rows[2].duplicate_of == "same student as line 2"
    assert [row.first_name for row in preview.importable] == ["Maya", "Theo"]
    assert preview.duplicates == [preview.rows[2]]


def test_it_marks_a_repeated_school_id_even_with_a_different_spelling() -> None:
    text = "First name,Last name,Student ID\nMaya,Lopez,S100\nMaya,López,s100\n"

    preview = parse_roster(csv_bytes(text))

    assert preview.rows[1].duplicate_of == "same student as line 2"


def test_it_keeps_two_children_with_the_same_name_and_different_ids() -> None:
    text = "First name,Last name,Student ID\nMaya,Lopez,S100\nMaya,Lopez,S200\n"

    preview = parse_roster(csv_bytes(text))

    assert len(preview.importable) == 2


def test_it_marks_students_already_in_the_class() -> None:
    text = "First name,Last name,Student ID\nMaya,Lopez,\nTheo,Park,42\nAna,Ruiz,S7\n"
    existing = [("maya", "lopez", ""), ("Theodore", "Park", "00042"), ("Ana", "Ruiz", "S8")]

    preview = parse_roster(csv_bytes(text), existing=existing)

    assert [row.duplicate_of for row in preview.rows] == [
        "already in this class",
        "already in this class",
        "",
    ]
    assert [row.first_name for row in preview.importable] == ["Ana"]


def test_it_does_not_count_a_row_with_errors_as_the_first_of_a_pair() -> None:
    text = "First name,Last name,Grade\nMaya,Lopez,15\nMaya,Lopez,5\n"

    preview = parse_roster(csv_bytes(text))

    assert preview.rows[0].errors
    assert preview.importable == [preview.rows[1]]


# Files that are not class lists


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", codecs.BOM_UTF8, b",,,\n,,,\n"])
def test_it_refuses_an_empty_file(data: bytes) -> None:
    assert "The file is empty" in file_error(data)


def test_it_refuses_a_header_without_students() -> None:
    assert "no students below them" in file_error(b"First name,Last name\n,\n")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "older Excel workbook (.xls)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "picture"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF"),
        (b"First name\x00,Last\x00 name\n", "does not hold plain text"),
        (bytes(range(256)) * 4, "does not hold plain text"),
    ],
)
def test_it_refuses_files_that_are_not_text(data: bytes, words: str) -> None:
    message = file_error(data)

    assert words in message
    assert "CSV UTF-8" in message


def test_it_refuses_a_file_over_2_mb() -> None:
    data = b"First name\n" + b"Maya\n" * (2 * 1024 * 1024 // 5)

    assert "larger than 2 MB" in file_error(data)


def test_it_refuses_more_than_2000_rows_but_accepts_2000() -> None:
    rows = "".join(f"Student{i},Lopez,S{i}\n" for i in range(2000))

    assert len(parse_roster(csv_bytes("First name,Last name,ID\n" + rows)).rows) == 2000
    message = file_error(csv_bytes("First name,Last name,ID\n" + rows + "Maya,Lopez,S1\n"))
    assert "more than 2,000 rows" in message


def test_it_refuses_a_cell_too_long_for_the_csv_reader() -> None:
    data = b'First name\n"' + b"a" * 200_000 + b'"\n'

    assert "could not be read as a CSV file" in file_error(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_it_never_crashes_on_arbitrary_bytes(data: bytes) -> None:
    try:
        preview = parse_roster(data)
    except ImportFileError as exc:
        assert str(exc)
    else:
        assert isinstance(preview, ImportPreview)


cell_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from(list(',;\t"\r\n =+-@ \u200b\ufeff')),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(cell_text, min_size=1, max_size=6), max_size=12),
    st.sampled_from([",", ";", "\t"]),
    st.lists(st.tuples(cell_text, cell_text, cell_text), max_size=3),
)
def test_it_never_crashes_on_messy_rows_under_a_real_header(
    rows: list[list[str]], delimiter: str, existing: list[tuple[str, str, str]]
) -> None:
    header = delimiter.join(["First name", "Last name", "Grade", "Student ID", "Name"])
    body = "\n".join(delimiter.join(cells) for cells in rows)
    try:
        preview = parse_roster(f"{header}\n{body}".encode(), existing=existing)
    except ImportFileError as exc:
        assert str(exc)
    else:
        for row in preview.importable:
            assert row.first_name
            assert row.grade in {"", "PK", "TK", "K", *(str(n) for n in range(1, 13))}
            assert len(row.first_name) <= 100
