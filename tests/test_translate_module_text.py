"""Session plans and workshop packs show a module's text in the translation
its translated module page uses (book/translate/module_text.py): looked up
in locale/<lang>/LC_MESSAGES/modules/<notebook>.po by the English text, with
English where a text has no translation. Here a small catalogue for module 4
stands in for the translators' work."""
from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from book import workshop
from book.data import modules
from book.render import i18n, sessions
from book.translate import module_text

MODULE = "signs"
SITUATION = ("A receptionist at a guesthouse checks in a man and a young woman. He hands over both passports. "
             "When the receptionist asks her a question, he answers for her. Over three days, she never goes out "
             "without him. She looks at him before she says anything. When they check out, he takes both "
             "passports back.")
# English msgid -> a stand-in translation (Khmer words where a test needs the script).
TRANSLATED = {
    "4. Recognising the signs": "4. ការស្គាល់សញ្ញា",
    "Name the main signs that a person may be trafficked or exploited.": "ដាក់ឈ្មោះសញ្ញាសំខាន់ៗ",
    "What signs may show that a person is not free?": "សញ្ញាអ្វីខ្លះបង្ហាញថាមនុស្សម្នាក់មិនមានសេរីភាព?",
    "Six signs to start with": "សញ្ញាប្រាំមួយ",
    "Scenario 1: The passport at the desk": "ស្ថានភាពគំរូទី 1៖ លិខិតឆ្លងដែននៅតុ",
    SITUATION: "បុគ្គលិកទទួលភ្ញៀវនៅផ្ទះសំណាក់មួយ ចុះឈ្មោះបុរសម្នាក់ និងស្ត្រីវ័យក្មេងម្នាក់។",
    "Role-play: one person plays the receptionist, one the man, and one the young woman (5 minutes).":
        "ការសម្ដែងតួ៖ ម្នាក់សម្ដែងជាបុគ្គលិកទទួលភ្ញៀវ ម្នាក់ជាបុរស និងម្នាក់ជាស្ត្រីវ័យក្មេង (5 នាទី)។",
    "Ask: Which things the receptionist saw are signs, and which are not? What should go in the written note? "
    "Who should be told?": "សួរ៖ តើអ្វីខ្លះជាសញ្ញា? តើគួរសរសេរអ្វី? តើគួរប្រាប់នរណា?",
    "Draw out: several signs together make a pattern worth passing on. Write facts, not guesses. Do not "
    "confront, do not keep the passport, and do not judge by age gap or nationality.":
        "ទាញចេញ៖ សញ្ញាច្រើនរួមគ្នា ជាលំនាំដែលគួរប្រាប់។ សរសេរការពិត មិនមែនការទាយ។ កុំប្រឈមមុខ។",
}


@pytest.fixture
def khmer_module(tmp_path, monkeypatch):
    """Module 4's catalogue for km holds the translations above (some drafts, as the book uses them)."""
    mod = modules.find(MODULE)
    cat = Catalog(locale="km")
    for n, (english, khmer) in enumerate(TRANSLATED.items()):
        cat.add(english, khmer, flags={"fuzzy"} if n % 2 else set())
    path = tmp_path / f"{mod.path.stem}.po"
    with path.open("wb") as fh:
        write_po(fh, cat)
    real = module_text.catalogue_path
    monkeypatch.setattr(module_text, "catalogue_path",
                        lambda stem, lang: path if (stem, lang) == (mod.path.stem, "km") else real(stem, lang))
    with i18n.in_language("km"):
        yield mod


def test_a_plan_takes_the_module_page_translation(khmer_module):
    english = khmer_module
    session = sessions.plan(english)
    mod = session.module
    assert mod.title == "ការស្គាល់សញ្ញា"
    assert mod.objectives[0] == TRANSLATED[english.objectives[0]]
    assert mod.objectives[1] == english.objectives[1], "a text without translation stays English"
    assert mod.questions[0] == TRANSLATED[english.questions[0]]
    welcome, teach, first = session.activities[:3]
    assert welcome.title == i18n._("plan.welcome") != "Welcome and objectives"
    assert TRANSLATED["Six signs to start with"] in teach.steps[0].items
    assert first.title == i18n._("plan.role_play").format(title="លិខិតឆ្លងដែននៅតុ")
    assert first.situation == TRANSLATED[SITUATION]
    notes = first.notes
    assert notes.role_play.startswith("ម្នាក់សម្ដែង"), "the translated label is dropped"
    assert notes.role_play_minutes == 5, "the minutes come from the English notes"
    assert notes.ask == ["តើអ្វីខ្លះជាសញ្ញា?", "តើគួរសរសេរអ្វី?", "តើគួរប្រាប់នរណា?"]
    assert notes.draw_out == ["សញ្ញាច្រើនរួមគ្នា ជាលំនាំដែលគួរប្រាប់។", "សរសេរការពិត មិនមែនការទាយ។", "កុំប្រឈមមុខ។"]
    markup = sessions.render_plan(session, quiz_link="q.html", module_link="m.html")
    assert TRANSLATED[SITUATION] in markup and "ទាញចេញ៖ សញ្ញា" not in markup and "Draw out" not in markup
    assert english.scenarios[1].title in markup, "an untranslated scenario keeps its English title"


def test_the_pack_takes_it_too(khmer_module):
    docs = workshop.render(workshop.make_pack(MODULE))
    assert '<html lang="km">' in docs["handouts.html"]
    assert "ការស្គាល់សញ្ញា" in docs["handouts.html"] and "Recognising the signs" not in docs["handouts.html"]
    assert "ការស្គាល់សញ្ញា" in docs["agenda.html"] and "លិខិតឆ្លងដែននៅតុ" in docs["agenda.html"]
    assert TRANSLATED[SITUATION] in docs["session-plans.html"]


def test_english_is_untouched(khmer_module):
    """The same module in English: no lookup, the notebook's own text."""
    with i18n.in_language("en"):
        session = sessions.plan(khmer_module)
    assert session.module.title == "Recognising the signs"
    assert session.activities[2].situation == SITUATION
    assert session.activities[2].notes.role_play.startswith("one person plays the receptionist")
