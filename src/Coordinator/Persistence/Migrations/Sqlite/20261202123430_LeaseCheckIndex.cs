using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Messaging.Coordinator.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LeaseCheckIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_workflow_executions_LeaseCheckAt",
                table: "workflow_executions",
                column: "LeaseCheckAt",
                filter: "\"LeaseCheckAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_workflow_executions_LeaseCheckAt",
                table: "workflow_executions");
        }
    }
}
