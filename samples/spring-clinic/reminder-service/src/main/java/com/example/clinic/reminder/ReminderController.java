package com.example.clinic.reminder;

import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ReminderController {

    @Autowired
    private ReminderListener listener;

    @GetMapping("/reminders")
    public List<Reminder> reminders() {
        return List.copyOf(listener.reminders().values());
    }

    @GetMapping("/reminders/{visitId}")
    public ResponseEntity<Object> reminder(@PathVariable("visitId") Long visitId) {
        Reminder reminder = listener.reminders().get(visitId);
        if (reminder == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(Map.of("message", "no reminder for visit " + visitId));
        }
        return ResponseEntity.ok(reminder);
    }
}
