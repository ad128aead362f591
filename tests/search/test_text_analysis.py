

def test_a_word_of_two_noun_readings_is_found_by_either():
    """'nuorille' may be nuora (rope) or nuori (young): both are terms, so 'nuorten' (only nuori) meets it."""
    from app.workflow.search.text_analysis import word_terms

    assert "nuori" in word_terms("nuorille") and word_terms("nuorten") == ("nuori",)
    assert "vanhempi" in word_terms("vanhempien")
    assert word_terms("alueilta") == ("alue",)  # a reading that only repeats the word goes beside a real one
    assert word_terms("tuen") == ("tuki",)  # a noun before a verb
