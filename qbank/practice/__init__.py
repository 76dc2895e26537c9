"""Offline practice pages: questions with an in-browser answer checker, in one HTML file."""
