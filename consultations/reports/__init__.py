"""Reports for the Executive: the dashboard, a consultation's report, comparisons and downloads.

Everything here is read-only and built from redacted, released answers, with small groups
suppressed (``consultations.analysis.suppression``) and every filter applied to every panel.
"""
