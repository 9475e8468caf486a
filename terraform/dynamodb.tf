# The one table (SPEC section 4). src/adapters/dynamodb/tableDefinition.ts creates the same table
# locally; test/infra/terraform.test.ts keeps the two equal.
resource "aws_dynamodb_table" "user_service" {
  name         = local.name_prefix
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "PK"
  range_key    = "SK"

  attribute {
    name = "PK"
    type = "S"
  }
  attribute {
    name = "SK"
    type = "S"
  }
  attribute {
    name = "GSI1PK"
    type = "S"
  }
  attribute {
    name = "GSI1SK"
    type = "S"
  }
  attribute {
    name = "GSI2PK"
    type = "S"
  }
  attribute {
    name = "GSI2SK"
    type = "S"
  }

  global_secondary_index {
    name            = "GSI1"
    hash_key        = "GSI1PK"
    range_key       = "GSI1SK"
    projection_type = "ALL"
  }

  # Sparse: only suspended and deleted profiles carry GSI2PK (STATUS#suspended|deleted); GSI2SK is
  # purgeAt for deleted ones (the purge job reads the due ones), updatedAt for suspended ones.
  global_secondary_index {
    name               = "GSI2"
    hash_key           = "GSI2PK"
    range_key          = "GSI2SK"
    projection_type    = "INCLUDE"
    non_key_attributes = ["userId", "email", "status", "updatedAt", "purgeAt"]
  }

  # The outbox relay reads new items from the stream.
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"

  # Outbox items, verification codes and rate-limit windows expire.
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  deletion_protection_enabled = var.stage == "prod"
}

# Hot keys (the seed's "GSI Hot Partitions": monitor consumption by partition key). Contributor
# Insights ranks the most accessed and the most throttled keys, of the table (USER#<id> partitions)
# and of GSI1 (EMAIL#<address>: many addresses of one domain still spread, but one address looked
# up in a loop shows here first). CloudWatch > Contributor Insights, or
# `aws dynamodb describe-contributor-insights --table-name <table> [--index-name GSI1]`.
# Billed per event it reads (docs/cost.md lists it among what the model leaves out).
resource "aws_dynamodb_contributor_insights" "table" {
  table_name = aws_dynamodb_table.user_service.name
}

resource "aws_dynamodb_contributor_insights" "gsi1" {
  table_name = aws_dynamodb_table.user_service.name
  index_name = "GSI1"
}
