"""SQLite: the postcodes table keyed by the postcode alone (WITHOUT ROWID): each row is stored
once, in the primary key's B-tree, instead of in a rowid table plus a unique index on the
postcode. A national import writes one B-tree instead of two, and a look-up by postcode reads
one. PostgreSQL has no such option (a heap and its index either way): nothing to do there.

Revision ID: 0022_postcodes_without_rowid
Revises: 0021_message_reply_wait
Create Date: 2026-11-27 21:25:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_postcodes_without_rowid'
down_revision = '0021_message_reply_wait'
branch_labels = None
depends_on = None

COLUMNS = "postcode, quality, easting, northing, latitude, longitude, neighbourhood_id"


def _rebuild(without_rowid):
    """Copy postcodes into a new table with or without a rowid, in key order, in the
    migration's transaction (SQLite's DDL is transactional), and put its index back."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TABLE _postcodes_rebuilt ("
        "postcode VARCHAR(8) NOT NULL, quality SMALLINT NOT NULL, easting INTEGER, northing INTEGER, "
        "latitude FLOAT, longitude FLOAT, neighbourhood_id VARCHAR(32), "
        "CONSTRAINT pk_postcodes PRIMARY KEY (postcode), "
        "CONSTRAINT fk_postcodes_neighbourhood_id_neighbourhoods FOREIGN KEY(neighbourhood_id) "
        "REFERENCES neighbourhoods (id) ON DELETE SET NULL)" + (" WITHOUT ROWID" if without_rowid else "")
    )
    op.execute(f"INSERT INTO _postcodes_rebuilt ({COLUMNS}) SELECT {COLUMNS} FROM postcodes ORDER BY postcode")
    op.execute("DROP TABLE postcodes")
    op.execute("ALTER TABLE _postcodes_rebuilt RENAME TO postcodes")
    op.execute("CREATE INDEX ix_postcodes_neighbourhood_id ON postcodes (neighbourhood_id)")


def upgrade():
    _rebuild(without_rowid=True)


def downgrade():
    _rebuild(without_rowid=False)
