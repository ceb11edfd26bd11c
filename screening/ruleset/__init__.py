"""The rule-set compiler: YAML text -> a validated RuleSet (strict YAML, schema checks, conditions, build)."""

from .loader import content_hash, load_ruleset, load_ruleset_texts, untranslated_texts
from .yamlsource import yaml_files, yaml_texts

__all__ = ["content_hash", "load_ruleset", "load_ruleset_texts", "untranslated_texts", "yaml_files", "yaml_texts"]
