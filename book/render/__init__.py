"""Rendering: bank and registry text, quizzes (static and widget), session plans, interface strings."""
