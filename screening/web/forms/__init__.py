"""Forms built from the rule set: the journey's pages, their fields by question type, and what a page's answers
and a decision say, with GOV.UK-style messages."""
