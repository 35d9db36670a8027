"""Crimes (data.police.uk street-level) and a release record per month and force.

Revision ID: 0004_crime
Revises: 0003_publishing
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_crime'
down_revision = '0003_publishing'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('crime_releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('force_id', sa.String(length=64), nullable=False),
    sa.Column('force_name', sa.String(length=120), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('without_location', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crime_releases')),
    sa.UniqueConstraint('month', 'force_id', name=op.f('uq_crime_releases_month'))
    )
    with op.batch_alter_table('crime_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crime_releases_month'), ['month'], unique=False)

    op.create_table('crimes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('force_id', sa.String(length=64), nullable=False),
    sa.Column('crime_ref', sa.String(length=64), nullable=True),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=120), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('location', sa.String(length=255), nullable=True),
    sa.Column('lsoa_code', sa.String(length=16), nullable=True),
    sa.Column('lsoa_name', sa.String(length=120), nullable=True),
    sa.Column('neighbourhood_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_crimes_neighbourhood_id_neighbourhoods'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crimes'))
    )
    with op.batch_alter_table('crimes', schema=None) as batch_op:
        batch_op.create_index('ix_crimes_month_force', ['month', 'force_id'], unique=False)
        batch_op.create_index('ix_crimes_month_location', ['month', 'longitude', 'latitude'], unique=False)
        batch_op.create_index('ix_crimes_neighbourhood_month', ['neighbourhood_id', 'month'], unique=False)



def downgrade():
    with op.batch_alter_table('crimes', schema=None) as batch_op:
        batch_op.drop_index('ix_crimes_neighbourhood_month')
        batch_op.drop_index('ix_crimes_month_location')
        batch_op.drop_index('ix_crimes_month_force')

    op.drop_table('crimes')
    with op.batch_alter_table('crime_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crime_releases_month'))

    op.drop_table('crime_releases')
