"""Pipelines (分析流程): one module per question, from data to a report context."""
