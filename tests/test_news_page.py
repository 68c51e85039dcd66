"""Page text: a web page's furniture (menus, READ MORE lines, advertisements, comment counts, related links)
gives no claims; the headline and the publication date are found. Pages written for these tests."""
import pytest

from ofsted_kg.ingest.news import parse, strip_page_furniture
from ofsted_kg.ingest.news.page import find_published
from ofsted_kg.ingest.text import Document

PAGE = """Skip to main content
Menu
Search
Agency rated good by Ofsted
Jane Doe
Reporter
09:00, 3 JUN 2024
Share

Larchfield Fostering has been rated good by Ofsted.

READ MORE: Hollin View children's home rated inadequate by Ofsted

Advertisement

The agency looks after 12 children.

ALSO READ: Eastwick Council's children's services rated outstanding

14 comments

Related Articles
Birchwood House rated inadequate after Ofsted visit
Corvid Care home told it must improve

Comments
Most Read
Moorland Foster Care rated outstanding
"""


def test_furniture_gives_nothing():
    record = parse(Document(path="page.txt", sha256="", suffix=".txt", pages=[PAGE]))
    assert [(c["subject"], c["predicate"], c["value"]) for c in record["claims"]] == [
        ("Larchfield Fostering", "rating", "good"), ("Larchfield Fostering", "children", 12)]
    assert {o["name"] for o in record["organisations"]} == {"Larchfield Fostering", "Ofsted"}
    assert record["article"] == {"title": "Agency rated good by Ofsted", "published": "2024-06-03"}


@pytest.mark.parametrize("line", ["Advertisement", "14 comments", "Share", "Menu", "Comments (3)"])
def test_furniture_lines_are_dropped(line):
    assert strip_page_furniture(f"Story line one.\n{line}\nStory line two.") == "Story line one.\nStory line two."


@pytest.mark.parametrize("lines, published", [
    (["Headline", "Published: 14 March 2024"], "2024-03-14"),
    (["Headline", "By Jane Doe | 14 March 2024"], "2024-03-14"),
    (["Headline", "Updated 15 March 2024"], None),
])
def test_publication_date_from_the_byline(lines, published):
    assert find_published(lines, []) == published
