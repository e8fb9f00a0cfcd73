"""Reading a class list that a teacher uploads as a CSV file.

Contract
--------
`parse_roster(data, existing=...)` takes the uploaded bytes and returns an `ImportPreview`
that a view shows before anything is saved; it never touches the database and imports
nothing from Django. It either returns a preview or raises `ImportFileError`, whose
message is written for a teacher ("The file is empty.", "The file is larger than 2 MB.");
any other exception is a bug.

What it accepts:

file          UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), UTF-16 with a
              byte-order mark (Excel's "Unicode Text"), otherwise Windows-1252 / Latin-1
              (old Excel exports). At most 2 MB and 2,000 rows.
delimiter     comma, semicolon (European Excel) or tab, counted in the header line.
header        the first non-blank row must name the columns, in any order; names are
              matched ignoring case, spaces and punctuation, with common synonyms
              ("Given name", "Surname", "Student #"). A row or two of title above the
              header ("Room 12 roster") is left out. One "Name" column is split into first
              and last names ("Lopez, Maya" or "Maya Lopez").
OneRoster     a v1.1 `users.csv`: only rows whose role is "student" are imported, the rest
              are counted in `skipped`. A v1.2 `users.csv` (no role column) is read too,
              with a note that it may list staff. The export's other files (orgs.csv,
              classes.csv, enrollments.csv, ...) are refused, naming users.csv instead.

Each `ImportRow` carries the cleaned values and a tuple of plain-words problems; a row with
problems, or marked as a duplicate (of an earlier line or of a student already in the
class), is shown but not imported: `ImportPreview.importable` is what the caller saves.
Grades come out as "PK", "TK", "K" or "1" to "12". Cell values are only ever text: a name
starting with "=" stays that text and nothing here evaluates it.

Line numbers count rows as a spreadsheet shows them (header = line 1, blank rows counted),
which is also the line in a text editor unless a cell spans several lines.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_NAME_LENGTH = 100
MAX_SCHOOL_ID_LENGTH = 64

NAME_FIELDS = ("first_name", "last_name", "preferred_name")
FIELD_WORDS = {
    "first_name": "first name",
    "last_name": "last name",
    "preferred_name": "preferred name",
    "grade": "grade",
    "school_id": "school ID",
}

# Header words after `_header_key` (lower case, letters and digits only), best match first:
# when a file has both "Student ID" and "School ID", the student's own number wins (in a
# Clever export "School_id" is the school's number, the same on every row).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": (
        "firstname",
        "studentfirstname",
        "legalfirstname",
        "givenname",
        "forename",
        "first",
        "fname",
    ),
    "last_name": (
        "lastname",
        "studentlastname",
        "legallastname",
        "familyname",
        "surname",
        "last",
        "lname",
    ),
    "preferred_name": (
        "preferredname",
        "preferredfirstname",
        "preferredgivenname",
        "studentpreferredname",
        "nickname",
        "goesby",
        "knownas",
        "preferred",
    ),
    "grade": ("grade", "gradelevel", "studentgrade", "currentgrade", "grades", "year", "gr"),
    "school_id": (
        "studentid",
        "studentnumber",
        "studentno",
        "localid",
        "schoolid",
        "sisid",
        "identifier",
        "idnumber",
        "id",
        "sourcedid",
    ),
    # One column holding the whole name, split into first and last.
    "full_name": ("name", "studentname", "fullname", "lastfirst", "student"),
}
# Words that show a row is a header even though we do not read that column.
OTHER_HEADER_WORDS = frozenset(
    {
        "email",
        "username",
        "role",
        "status",
        "middlename",
        "middle",
        "class",
        "homeroom",
        "teacher",
        "section",
        "period",
        "room",
        "gender",
        "sex",
        "dob",
        "birthdate",
        "dateofbirth",
        "notes",
    }
)
# "Name" means the first name when the file also has a last-name column ("Name, Surname").
_FIRST_NAME_WHEN_LAST_NAME_COLUMN = frozenset({"name", "studentname", "student"})

_ONEROSTER_REQUIRED = frozenset({"sourcedid", "givenname", "familyname"})
_ONEROSTER_HINTS = frozenset({"role", "enableduser", "username", "orgsourcedids"})
# The other files of a OneRoster export, by columns only they have, and what they list.
# orgs.csv has a "name" column, which would otherwise be read as students' names.
_ONEROSTER_OTHER_FILES: tuple[tuple[str, frozenset[str], str], ...] = (
    ("orgs.csv", frozenset({"sourcedid", "name", "type"}), "the schools and districts"),
    ("enrollments.csv", frozenset({"classsourcedid", "usersourcedid"}), "who is in each class"),
    ("classes.csv", frozenset({"sourcedid", "title", "classcode"}), "the classes"),
    ("courses.csv", frozenset({"sourcedid", "title", "coursecode"}), "the courses"),
    (
        "academicSessions.csv",
        frozenset({"sourcedid", "title", "startdate", "enddate"}),
        "the school year and its terms",
    ),
    ("demographics.csv", frozenset({"sourcedid", "birthdate"}), "dates of birth and demographics"),
    ("roles.csv", frozenset({"usersourcedid", "roletype"}), "each person's roles"),
)

_DELIMITERS = (",", ";", "\t")
_DELIMITER_WORDS = {",": "comma-separated", ";": "semicolon-separated", "\t": "tab-separated"}

# Zero-width characters that sneak in from copying out of web pages and Word.
_INVISIBLE = "\u200b\u2060\ufeff"
_EDGE_JUNK = re.compile(rf"^[\s{_INVISIBLE}\u200c\u200d]+|[\s{_INVISIBLE}\u200c\u200d]+$")
_INNER_INVISIBLE = re.compile(f"[{_INVISIBLE}]")
_WHITESPACE_RUN = re.compile(r"\s+")

_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_KINDERGARTEN = frozenset({"k", "kg", "kdg", "kinder", "kindergarten"})
_PRE_K = frozenset({"pk", "prek", "prekindergarten", "prekinder"})
_TRANSITIONAL_K = frozenset({"tk", "transitionalkindergarten", "transitionalk"})

SAVE_AS_CSV = (
    "In Excel or Google Sheets, save or download the sheet as “CSV UTF-8” and upload that."
)


class ImportFileError(Exception):
    """The whole file cannot be read; the message is written for a teacher."""


@dataclass(frozen=True)
class ImportRow:
    line: int
    first_name: str
    last_name: str
    preferred_name: str
    grade: str
    school_id: str
    errors: tuple[str, ...]
    duplicate_of: str = ""

    @property
    def importable(self) -> bool:
        return not self.errors and not self.duplicate_of


@dataclass(frozen=True)
class ImportPreview:
    """What the file holds, row by row, before anything is saved.

    `columns` maps our field (first_name, last_name, preferred_name, grade, school_id, or
    full_name when one name column was split) to the header text it was read from.
    `skipped` counts rows left out on purpose (OneRoster staff), explained in `notes`.
    """

    rows: tuple[ImportRow, ...]
    columns: dict[str, str]
    format: str
    skipped: int = 0
    notes: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()

    @property
    def importable(self) -> list[ImportRow]:
        return [row for row in self.rows if row.importable]

    @property
    def with_errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def duplicates(self) -> list[ImportRow]:
        return [row for row in self.rows if row.duplicate_of and not row.errors]


def parse_roster(data: bytes, *, existing: Iterable[tuple[str, str, str]] = ()) -> ImportPreview:
    """Read an uploaded class list into a preview; raise `ImportFileError` if it cannot be.

    `existing` holds (first_name, last_name, school_id) of the students already in the
    class; matching rows are marked "already in this class".
    """
    text = _decode(data)
    delimiter, one_column = _detect_delimiter(text)
    try:
        records = _read_records(text, delimiter)
    except csv.Error as exc:
        raise ImportFileError(f"The file could not be read as a CSV file. {SAVE_AS_CSV}") from exc

    header_index = _find_header(records)
    header_line, header_record = records[header_index]
    header = [_clean(cell) for cell in header_record]
    keys = [_header_key(cell) for cell in header]
    _refuse_other_oneroster_files(keys)
    body = records[header_index + 1 :]
    if not body:
        raise ImportFileError(
            "The file has column names but no students below them. "
            "Put one student on each row under the column names."
        )

    notes: list[str] = []
    if header_line > 1:
        above = "Line 1 is" if header_line == 2 else f"Lines 1-{header_line - 1} are"
        notes.append(f"{above} above the column names and {_was(header_line - 1)} left out.")

    oneroster = set(keys) >= _ONEROSTER_REQUIRED and bool(_ONEROSTER_HINTS & set(keys))
    mapping = _map_columns(keys)
    columns = {name: header[index] for name, index in mapping.items()}
    if "first_name" not in mapping and "full_name" not in mapping:
        raise ImportFileError(_missing_first_name_message(header))

    split_names = "first_name" not in mapping
    if split_names:
        notes.append(
            "The names were split into first and last names: “Lopez, Maya” and “Maya Lopez” "
            "both become first name Maya, last name Lopez. Check them below, or use separate "
            "“First name” and “Last name” columns."
        )
    elif "full_name" in mapping:
        del mapping["full_name"], columns["full_name"]

    used = set(mapping.values())
    role_index = _index_of(keys, "role") if oneroster else None
    status_index = _index_of(keys, "status") if oneroster else None
    sourced_id_index = _index_of(keys, "sourcedid") if oneroster else None
    if sourced_id_index is not None and mapping.get("school_id") == sourced_id_index:
        sourced_id_index = None
    for index in (role_index, status_index):
        if index is not None:
            used.add(index)
    ignored = tuple(h for i, h in enumerate(header) if h and i not in used)
    if oneroster and role_index is None:
        notes.append(
            "This OneRoster file has no role column (OneRoster 1.2 keeps roles in roles.csv), "
            "so it may list teachers and other staff too. Check that everyone below is a student."
        )

    not_students = deleted = from_sourced_id = 0
    multiline_noted = False
    rows: list[ImportRow] = []
    duplicates = _DuplicateFinder(existing)
    for line, record in body:
        if role_index is not None and _clean(_cell(record, role_index)).casefold() != "student":
            not_students += 1
            continue
        if (
            status_index is not None
            and _clean(_cell(record, status_index)).casefold() == "tobedeleted"
        ):
            deleted += 1
            continue
        fallback_id = _cell(record, sourced_id_index) if sourced_id_index is not None else ""
        row = _read_row(line, record, mapping, split_names=split_names, fallback_id=fallback_id)
        if row is None:
            continue
        if _clean(fallback_id) and not _clean(_cell(record, mapping.get("school_id"))):
            from_sourced_id += 1
        rows.append(duplicates.check(row))
        if not multiline_noted:
            multiline_noted = _note_multiline_cell(line, record, header, used, notes)

    if not_students:
        notes.append(
            f"{_rows(not_students)} not {'a student' if not_students == 1 else 'students'} "
            f"(OneRoster role) and {_was(not_students)} left out."
        )
    if deleted:
        notes.append(
            f"{_rows(deleted)} marked “tobedeleted” (OneRoster status) "
            f"and {_was(deleted)} left out."
        )
    if from_sourced_id:
        notes.append(
            f"{_students(from_sourced_id)} no identifier, so the OneRoster sourcedId "
            "is used as the school ID."
        )

    if oneroster:
        file_format = "OneRoster users.csv"
    elif one_column or len([h for h in header if h]) <= 1:
        file_format = "Simple roster (one column)"
    else:
        file_format = f"Simple roster ({_DELIMITER_WORDS[delimiter]})"
    return ImportPreview(
        rows=tuple(rows),
        columns=columns,
        format=file_format,
        skipped=not_students + deleted,
        notes=tuple(notes),
        ignored_columns=ignored,
    )


def normalise_grade(value: str) -> str | None:
    """A grade as schools write it, as "PK", "TK", "K" or "1".."12".

    Blank stays ""; None means it is not a school grade ("13", "3.5").
    """
    text = _WHITESPACE_RUN.sub(" ", value.casefold()).strip()
    if not text:
        return ""
    text = re.sub(r"^(grade|gr\.?|year|yr\.?)\s*", "", text)
    text = re.sub(r"\s*(grade|gr\.?)$", "", text)
    word = re.sub(r"[\s.\-]", "", text)  # "Pre-K", "k.g." and "Transitional K" as one word
    if word in _KINDERGARTEN:
        return "K"
    if word in _PRE_K:
        return "PK"
    if word in _TRANSITIONAL_K:
        return "TK"
    if word in _ORDINAL_WORDS:
        return str(_ORDINAL_WORDS[word])
    match = re.fullmatch(r"([0-9]{1,3})\s*(st|nd|rd|th)?", text)
    if match is None:
        return None
    number = int(match.group(1))
    if number == 0:
        return "K"
    if number <= 12:
        return str(number)
    return None


# Reading the bytes


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            "The file is larger than 2 MB, far more than a class list needs. "
            "Check that you chose the right file."
        )
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise ImportFileError("The file is empty. Choose the CSV file with your class list.")
    _refuse_known_binary(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data:
        raise _not_text()
    elif data.startswith(codecs.BOM_UTF8):
        # The mark says UTF-8: a broken character shows as "�" and is reported on its row.
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    text = text.lstrip("\ufeff")
    if "\x00" in text or _looks_binary(text):
        raise _not_text()
    if not text.strip():
        raise ImportFileError("The file is empty. Choose the CSV file with your class list.")
    return text


def _refuse_known_binary(data: bytes) -> None:
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise ImportFileError(
            "This is an Excel workbook (.xlsx) or another packed file, not a CSV file. "
            + SAVE_AS_CSV
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportFileError(
            "This is an older Excel workbook (.xls), not a CSV file. " + SAVE_AS_CSV
        )
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        raise ImportFileError("This is a picture, not a CSV file. " + SAVE_AS_CSV)
    if data.startswith(b"%PDF"):
        raise ImportFileError("This is a PDF, not a CSV file. " + SAVE_AS_CSV)


def _not_text() -> ImportFileError:
    return ImportFileError(
        "This file does not hold plain text, so it is not a CSV file. " + SAVE_AS_CSV
    )


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f")
    return controls > max(2, len(sample) // 100)


# Finding the layout


def _detect_delimiter(text: str) -> tuple[str, bool]:
    """The delimiter, counted in the header line, and whether the header is one column.

    csv.Sniffer guesses wrongly on short files, and the header line names the columns
    without the commas that names in data rows may contain.
    """
    lines = [line for line in text.splitlines()[:50] if line.strip(" \t,;\ufeff")]
    if not lines:
        return ",", False
    first = lines[0]
    counts = _count_delimiters(first)
    if max(counts.values()):
        return _most_used(counts), False
    if _header_key(_clean(first.strip().strip('"'))) in HEADER_SYNONYMS["full_name"]:
        # One "Name" column: choose a delimiter its rows do not use, so that an unquoted
        # "Lopez, Maya" stays one cell.
        rest = "\n".join(lines[1:])
        least = min(_DELIMITERS, key=lambda d: (rest.count(d), _DELIMITERS.index(d)))
        return least, True
    # A title line above the header, or a one-column header over rows with more cells.
    for line in lines[1:6]:
        counts = _count_delimiters(line)
        if max(counts.values()):
            return _most_used(counts), False
    return ",", False


def _count_delimiters(line: str) -> dict[str, int]:
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return counts


def _most_used(counts: dict[str, int]) -> str:
    return max(_DELIMITERS, key=lambda d: (counts[d], -_DELIMITERS.index(d)))


def _read_records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The rows that are not blank, each with its line number (blank rows still count)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    for line, record in enumerate(reader, start=1):
        if _is_blank(record):
            continue
        records.append((line, record))
        # One more than the limit allows for the header row.
        if len(records) > MAX_ROWS + 1:
            raise ImportFileError(
                "The file has more than 2,000 rows, far more than a class list. "
                "Check that you chose the right file, or split it into one file per class."
            )
    return records


def _find_header(records: Sequence[tuple[int, list[str]]]) -> int:
    """Index of the header row: the first row, or a later one under a title or two."""
    if not records:
        raise ImportFileError("The file is empty. Choose the CSV file with your class list.")
    first = records[0][1]
    if any(_header_key(_clean(cell)) in _ALL_HEADER_WORDS for cell in first):
        return 0
    for index in range(1, min(5, len(records))):
        mapping = _map_columns([_header_key(_clean(cell)) for cell in records[index][1]])
        if "first_name" in mapping or "full_name" in mapping:
            return index
    shown = ", ".join(_clean(cell) for cell in first if _clean(cell))
    if len(shown) > 80:
        shown = shown[:77] + "..."
    raise ImportFileError(
        "The first row of the file must name the columns, for example "
        f"“First name, Last name, Grade”. The first row here reads “{shown}”, "
        "which are not column names Conferbook knows. Add a row of column names at the top."
    )


def _refuse_other_oneroster_files(keys: Sequence[str]) -> None:
    """A OneRoster export is a folder of files; only users.csv lists students."""
    if "givenname" in keys:
        return
    for file_name, columns, holds in _ONEROSTER_OTHER_FILES:
        if columns <= set(keys):
            raise ImportFileError(
                f"This looks like OneRoster's {file_name}, which lists {holds}, not students. "
                "Upload users.csv from the same OneRoster export: it lists the students."
            )


def _header_key(text: str) -> str:
    """The header word we match on: "First Name", "first_name" and "FIRST NAME*" -> "firstname".

    A note in brackets is dropped ("Preferred name (optional)" -> "preferredname") and "#"
    reads as "number" ("Student #" -> "studentnumber").
    """
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text).replace("#", "number")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


_ALL_HEADER_WORDS = (
    frozenset(word for words in HEADER_SYNONYMS.values() for word in words) | OTHER_HEADER_WORDS
)


def _map_columns(keys: Sequence[str]) -> dict[str, int]:
    """Our field -> column index, taking the best-ranked synonym for each field."""
    best: dict[str, tuple[int, int]] = {}
    for index, key in enumerate(keys):
        for name, words in HEADER_SYNONYMS.items():
            rank = _rank(key, words)
            if rank is None:
                continue
            if name not in best or rank < best[name][0]:
                best[name] = (rank, index)
            break
    mapping = {name: index for name, (_, index) in best.items()}
    if (
        "first_name" not in mapping
        and "last_name" in mapping
        and "full_name" in mapping
        and keys[mapping["full_name"]] in _FIRST_NAME_WHEN_LAST_NAME_COLUMN
    ):
        mapping["first_name"] = mapping.pop("full_name")
    return mapping


def _rank(key: str, words: tuple[str, ...]) -> int | None:
    if key in words:
        return words.index(key)
    # "Student Grade Level", "Student Nickname": our word with "student" in front.
    if key.startswith("student") and key[len("student") :] in words:
        return len(words) + words.index(key[len("student") :])
    return None


def _missing_first_name_message(header: Sequence[str]) -> str:
    found = ", ".join(f"“{h}”" for h in header if h) or "none"
    return (
        "Conferbook could not find a column of first names. "
        f"The columns in this file are: {found}. "
        "Name the column of first names “First name” (or use one “Name” column for whole "
        "names), and add “Last name”, “Preferred name”, “Grade” and “Student ID” columns "
        "if you have them."
    )


def _index_of(keys: Sequence[str], key: str) -> int | None:
    return keys.index(key) if key in keys else None


# Reading one row


def _read_row(
    line: int,
    record: Sequence[str],
    mapping: dict[str, int],
    *,
    split_names: bool,
    fallback_id: str,
) -> ImportRow | None:
    """The cleaned row with its problems, or None for a row with nothing in our columns."""
    raw = {name: _cell(record, index) for name, index in mapping.items()}
    if not any(value.strip(" \t\r\n" + _INVISIBLE) for value in raw.values()):
        return None
    errors: list[str] = []
    for name, value in raw.items():
        if "\n" in value or "\r" in value:
            errors.append(
                f"Line {line}: the {_field_word(name)} runs over several lines; "
                'look for a stray quotation mark (").'
            )
    values = {name: _clean(value) for name, value in raw.items()}

    missing_name = False
    if split_names:
        whole = values.pop("full_name", "")
        values["first_name"], values["last_name"] = _split_name(whole)
        if not whole:
            missing_name = True
            errors.append(f"Line {line}: the name is missing.")
    first_name = values.get("first_name", "")
    if not first_name and not missing_name:
        errors.append(f"Line {line}: the first name is missing.")
    elif first_name and not any(ch.isalpha() for ch in first_name):
        errors.append(f"Line {line}: the first name “{first_name[:20]}” has no letters in it.")

    for name in NAME_FIELDS:
        value = values.get(name, "")
        word = FIELD_WORDS[name]
        if len(value) > MAX_NAME_LENGTH:
            errors.append(f"Line {line}: the {word} is longer than {MAX_NAME_LENGTH} characters.")
        errors.extend(_character_problems(line, word, value))

    school_id = values.get("school_id", "") or _clean(fallback_id)
    if len(school_id) > MAX_SCHOOL_ID_LENGTH:
        errors.append(
            f"Line {line}: the school ID is longer than {MAX_SCHOOL_ID_LENGTH} characters."
        )
    errors.extend(_character_problems(line, "school ID", school_id))

    raw_grade = values.get("grade", "")
    grade = normalise_grade(raw_grade)
    if grade is None:
        shown = raw_grade if len(raw_grade) <= 20 else raw_grade[:17] + "..."
        errors.append(f"Line {line}: grade “{shown}” is not a school grade (use K or 1-12).")
        grade = raw_grade[:20]

    return ImportRow(
        line=line,
        first_name=first_name,
        last_name=values.get("last_name", ""),
        preferred_name=values.get("preferred_name", ""),
        grade=grade,
        school_id=school_id,
        errors=tuple(dict.fromkeys(errors)),
    )


def _split_name(whole: str) -> tuple[str, str]:
    """(first, last) from a whole name: "Lopez, Maya" and "Maya Lopez" -> ("Maya", "Lopez").

    Without a comma the last word is the last name; one word is a first name alone.
    """
    if "," in whole:
        last, first = whole.split(",", 1)
        return _clean(first), _clean(last)
    words = whole.split(" ")
    if len(words) == 1:
        return whole, ""
    return " ".join(words[:-1]), words[-1]


def _character_problems(line: int, word: str, value: str) -> list[str]:
    problems = []
    if "\ufffd" in value:
        problems.append(
            f"Line {line}: the {word} “{value}” has a character that could not be read. "
            + SAVE_AS_CSV
        )
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        problems.append(f"Line {line}: the {word} contains an invisible control character.")
    return problems


def _field_word(name: str) -> str:
    return FIELD_WORDS.get(name, "name")


def _note_multiline_cell(
    line: int, record: Sequence[str], header: Sequence[str], used: set[int], notes: list[str]
) -> bool:
    """Note a cell we do not read that spans lines: a stray quote may have eaten rows."""
    for index, value in enumerate(record):
        if index not in used and ("\n" in value or "\r" in value):
            column = header[index] if index < len(header) and header[index] else "unnamed"
            notes.append(
                f"On line {line} the “{column}” cell runs over several lines. If students "
                'seem to be missing after it, look for a stray quotation mark (") there.'
            )
            return True
    return False


def _cell(record: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(record):
        return ""
    return record[index]


def _clean(value: str) -> str:
    """Trim spaces and zero-width characters, join split accents, squeeze inner spaces."""
    value = unicodedata.normalize("NFC", value)
    value = _INNER_INVISIBLE.sub("", _EDGE_JUNK.sub("", value))
    return _WHITESPACE_RUN.sub(" ", value)


def _is_blank(record: Sequence[str]) -> bool:
    return not any(cell.strip() and _clean(cell) for cell in record)


# Duplicates


class _DuplicateFinder:
    """Marks a row that repeats an earlier one or a student already in the class.

    Two rows are the same student when both have a school ID and the IDs match, or
    otherwise when first and last names match ignoring case. Two students with the same
    name and different IDs are different children.
    """

    def __init__(self, existing: Iterable[tuple[str, str, str]]) -> None:
        self.existing_ids: set[str] = set()
        self.existing_names: dict[tuple[str, str], list[str]] = {}
        for first, last, school_id in existing:
            self._remember(
                self.existing_ids, self.existing_names, first or "", last or "", school_id or ""
            )
        self.seen_ids: dict[str, int] = {}
        self.seen_names: dict[tuple[str, str], list[tuple[str, int]]] = {}

    def check(self, row: ImportRow) -> ImportRow:
        if row.errors:
            return row
        name = _name_key(row.first_name, row.last_name)
        school_id = _id_key(row.school_id)
        if self._matches(self.existing_ids, self.existing_names.get(name, []), school_id):
            duplicate_of = "already in this class"
        else:
            earlier = self._earlier_line(name, school_id)
            duplicate_of = f"same student as line {earlier}" if earlier else ""
        if duplicate_of:
            return replace(row, duplicate_of=duplicate_of)
        if school_id:
            self.seen_ids.setdefault(school_id, row.line)
        self.seen_names.setdefault(name, []).append((school_id, row.line))
        return row

    @staticmethod
    def _remember(
        ids: set[str], names: dict[tuple[str, str], list[str]], first: str, last: str, sid: str
    ) -> None:
        school_id = _id_key(_clean(sid))
        if school_id:
            ids.add(school_id)
        names.setdefault(_name_key(_clean(first), _clean(last)), []).append(school_id)

    @staticmethod
    def _matches(ids: set[str], same_name_ids: list[str], school_id: str) -> bool:
        if school_id and school_id in ids:
            return True
        return any(not (school_id and other) for other in same_name_ids)

    def _earlier_line(self, name: tuple[str, str], school_id: str) -> int | None:
        if school_id and school_id in self.seen_ids:
            return self.seen_ids[school_id]
        for other_id, line in self.seen_names.get(name, []):
            if not (school_id and other_id):
                return line
        return None


def _name_key(first: str, last: str) -> tuple[str, str]:
    return first.casefold(), last.casefold()


def _id_key(school_id: str) -> str:
    """IDs match ignoring case, and ignoring leading zeros that Excel drops from numbers."""
    key = school_id.casefold()
    if key.isdigit() and key.isascii():
        return key.lstrip("0") or "0"
    return key


# Wording


def _rows(count: int) -> str:
    return "1 row was" if count == 1 else f"{count:,} rows were"


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


def _students(count: int) -> str:
    return "1 student has" if count == 1 else f"{count:,} students have"
