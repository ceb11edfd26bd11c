"""The engine is pure Python: importing and using it never imports a web or database library."""

import subprocess
import sys

CHECK = """
import sys, screening
rs = screening.load_ruleset('tests/fixtures/tiny')
screening.evaluate(rs, {'age': 12})
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'wtforms', 'sqlalchemy', 'werkzeug', 'psycopg'})
print(','.join(heavy))
"""


def test_engine_imports_no_web_or_database_library():
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
