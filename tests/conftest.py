"pytest options for runningpose's notebook tests."

def pytest_addoption(parser):
    parser.addoption('--slow', action='store_true', default=False,
                     help='also run notebook cells marked `#| slow` (training, long videos)')
