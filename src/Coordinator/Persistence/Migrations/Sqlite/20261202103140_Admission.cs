using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Messaging.Coordinator.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Admission : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "workflow_admission_limits",
                columns: table => new
                {
                    LimitKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    LastPassAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    WakeAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workflow_admission_limits", x => x.LimitKey);
                });

            migrationBuilder.CreateTable(
                name: "workflow_admission_slots",
                columns: table => new
                {
                    LimitKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Slot = table.Column<int>(type: "INTEGER", nullable: false),
                    ExecutionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    HeldSince = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workflow_admission_slots", x => new { x.LimitKey, x.Slot });
                });

            migrationBuilder.CreateTable(
                name: "workflow_admission_waits",
                columns: table => new
                {
                    LimitKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ExecutionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Payload = table.Column<string>(type: "TEXT", nullable: true),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodMs = table.Column<long>(type: "INTEGER", nullable: true),
                    Priority = table.Column<int>(type: "INTEGER", nullable: false),
                    EnqueuedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workflow_admission_waits", x => new { x.LimitKey, x.ExecutionId, x.Holder });
                });

            migrationBuilder.CreateIndex(
                name: "IX_workflow_admission_slots_ExecutionId",
                table: "workflow_admission_slots",
                column: "ExecutionId");

            migrationBuilder.CreateIndex(
                name: "IX_workflow_admission_slots_LeaseUntil",
                table: "workflow_admission_slots",
                column: "LeaseUntil");

            migrationBuilder.CreateIndex(
                name: "IX_workflow_admission_waits_ExecutionId",
                table: "workflow_admission_waits",
                column: "ExecutionId");

            migrationBuilder.CreateIndex(
                name: "IX_workflow_admission_waits_LimitKey_Priority_EnqueuedAt",
                table: "workflow_admission_waits",
                columns: new[] { "LimitKey", "Priority", "EnqueuedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "workflow_admission_limits");

            migrationBuilder.DropTable(
                name: "workflow_admission_slots");

            migrationBuilder.DropTable(
                name: "workflow_admission_waits");
        }
    }
}
