using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Messaging.Coordinator.Persistence.Migrations.Postgres
{
    /// <summary>
    /// The saga row's version for the state cache: xmin is PostgreSQL's system column, so Npgsql
    /// generates no SQL here; the migration only moves the model snapshot.
    /// </summary>
    public partial class SagaRowVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "workflow_executions",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "xmin",
                table: "workflow_executions");
        }
    }
}
