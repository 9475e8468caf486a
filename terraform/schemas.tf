# The event schemas consumers browse and generate code bindings from: the files `npm run schemas`
# writes from the zod schemas, published as they are committed. Each is named the way schema
# discovery would name it, "<source>@<detail-type>".
locals {
  event_schema_dir = "${path.module}/../schemas/events"
}

resource "aws_schemas_registry" "events" {
  name        = local.name_prefix
  description = "Events published on the ${local.name_prefix} bus"
}

resource "aws_schemas_schema" "events" {
  for_each      = fileset(local.event_schema_dir, "*.json")
  name          = "${local.service}@${trimsuffix(each.value, ".json")}"
  registry_name = aws_schemas_registry.events.name
  type          = "JSONSchemaDraft4"
  description   = jsondecode(file("${local.event_schema_dir}/${each.value}")).description
  content       = file("${local.event_schema_dir}/${each.value}")
}
