"""PostgreSQL: postcodes.postcode in the "C" collation, so postcodes compare and sort byte by
byte whatever the server's locale, as they already do on SQLite (BINARY). The look-ups by
district and sector read ranges of bytes ("LS6 " up to "LS6 ~", "LS0" up to "LS:"), which a
locale such as en-GB orders otherwise ('LS6 1AA' < 'LS6 ~' is false there); and the
primary key of a national import is built from a sort of 1.7 million postcodes, about half
the work with byte comparisons. Only the primary key's index is rebuilt (the column keeps its
type). SQLite: nothing to do.

Revision ID: 0023_postcode_byte_order
Revises: 0022_postcodes_without_rowid
Create Date: 2026-11-28 03:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023_postcode_byte_order'
down_revision = '0022_postcodes_without_rowid'
branch_labels = None
depends_on = None


def _collate(collation):
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f'ALTER TABLE postcodes ALTER COLUMN postcode TYPE VARCHAR(8) COLLATE "{collation}"')


def upgrade():
    _collate("C")


def downgrade():
    _collate("default")
