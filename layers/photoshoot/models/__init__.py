"""PynamoDB models; their key schemas must match the tables in ``template.yaml``
(``tests/infrastructure/test_models_match_template.py`` checks it)."""
from photoshoot.models.catalogue import Package, SavedStyle, Style
from photoshoot.models.generations import Generation
from photoshoot.models.ledger import LedgerEntry
from photoshoot.models.orders import Order
from photoshoot.models.sessions import AuthChallenge, Connection, RateCounter, StatCounter
from photoshoot.models.users import User

ALL_MODELS = (User, LedgerEntry, Generation, Order, Package, Style, SavedStyle,
              AuthChallenge, Connection, RateCounter, StatCounter)
